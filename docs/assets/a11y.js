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
  // Wide tables, formulas and notebook cells scroll sideways: make them reachable by keyboard
  // (axe: scrollable-region-focusable), each region with a name of its own (axe: landmark-unique).
  const kinds = [
    [".md-typeset__scrollwrap", "Table"],
    [".math-display", "Formula"],
    [".highlight-ipynb", "Notebook code cell"],
  ];
  const focusable = () =>
    kinds.forEach(([selector, label]) =>
      document.querySelectorAll(selector).forEach((region, i) => {
        if (region.hasAttribute("tabindex") || region.scrollWidth <= region.clientWidth) return;
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
        region.setAttribute("aria-label", `${label} ${i + 1}`);
      }),
    );
  new MutationObserver(focusable).observe(document.documentElement, { childList: true, subtree: true });
  addEventListener("resize", focusable);
  focusable();
  new MutationObserver(name).observe(document.documentElement, { childList: true, subtree: true });
  name();
})();
