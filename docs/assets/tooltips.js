// Hover definitions: a link's title (a term's definition) shown as a tooltip on hover and on keyboard
// focus. One set of listeners on the document and nothing per link at load: Material's content.tooltips
// spent ~150 ms of main-thread time per long page setting up every titled element (measured by `make audit`).
// WCAG 1.4.13: the tooltip can be hovered, stays until the pointer or focus leaves, and Escape closes it.
(() => {
  const tip = document.createElement("div");
  tip.id = "term-tooltip";
  tip.className = "term-tooltip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  let link = null;
  let timer = 0;

  const hide = () => {
    clearTimeout(timer);
    if (link) link.removeAttribute("aria-describedby");
    link = null;
    tip.hidden = true;
  };
  const show = (target) => {
    clearTimeout(timer);
    if (target === link) return;
    hide();
    if (!target.dataset.tooltip) {
      target.dataset.tooltip = target.title; // keeps the browser's own tooltip from showing on top
      target.removeAttribute("title");
    }
    if (!tip.isConnected) document.body.append(tip);
    link = target;
    tip.textContent = target.dataset.tooltip;
    tip.hidden = false;
    target.setAttribute("aria-describedby", tip.id);
    const box = target.getBoundingClientRect();
    const width = Math.min(tip.offsetWidth, document.documentElement.clientWidth - 16);
    const left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
    tip.style.left = `${left + scrollX}px`;
    tip.style.top = `${box.bottom + scrollY + 6}px`;
  };
  const titled = (node) => node instanceof Element && node.closest(".md-typeset a[title], .md-typeset a[data-tooltip]");
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(hide, 200); // time to move the pointer onto the tooltip
  };

  document.addEventListener("pointerover", (event) => {
    const target = titled(event.target);
    if (target) show(target);
    else if (event.target === tip) clearTimeout(timer);
  });
  document.addEventListener("pointerout", (event) => {
    if (link && (titled(event.target) === link || event.target === tip)) later();
  });
  document.addEventListener("focusin", (event) => {
    const target = titled(event.target);
    if (target) show(target);
  });
  document.addEventListener("focusout", (event) => {
    if (link && event.target === link) hide();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hide();
  });
})();
