// Fetch the search index when the reader opens search, not on every page view: the index holds the text of
// every page (most of a first visit's bytes), and a reader who arrives from a search engine to read one page
// never needs it. Loaded before Material's bundle, whose request for the index waits here until then.
(() => {
  const INDEX = /\/search\/search_index\.json$/;
  const { open, send } = XMLHttpRequest.prototype;
  const waiting = [];
  let wanted = false;
  const want = () => {
    if (!wanted) (wanted = true), waiting.splice(0).forEach((go) => go());
  };
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.isSearchIndex = INDEX.test(String(url));
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.isSearchIndex && !wanted) return void waiting.push(() => send.apply(this, args));
    return send.apply(this, args);
  };
  // Opening search: focusing or touching the search field or its button, or the keys that open it.
  const inSearch = (event) => event.target instanceof Element && event.target.closest(".md-search, [for='__search']");
  addEventListener("focusin", (event) => inSearch(event) && want(), true);
  addEventListener("pointerdown", (event) => inSearch(event) && want(), true);
  addEventListener("change", (event) => event.target.id === "__search" && want(), true);
  addEventListener("keydown", (event) => ["/", "s", "f", "S", "F"].includes(event.key) && want(), true);
})();
