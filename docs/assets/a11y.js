// Give each code block's toolbar (copy button) a name of its own: Material renders every one as an
// unnamed <nav>, and several same-named landmarks confuse screen readers (axe: landmark-unique).
(() => {
  const name = () =>
    document.querySelectorAll(".md-code__nav:not([aria-label])").forEach((nav) => {
      const block = nav.closest(".highlight");
      const lang = block && [...block.classList].find((c) => c.startsWith("language-"));
      const all = [...document.querySelectorAll(".md-code__nav")];
      nav.setAttribute("aria-label", `Code block ${all.indexOf(nav) + 1}${lang ? ` (${lang.slice(9)})` : ""} tools`);
    });
  new MutationObserver(name).observe(document.documentElement, { childList: true, subtree: true });
  name();
})();
