// An accessibility fix Material does not make, applied once per animation frame in which the page
// changed: one pass reads every width, then writes. (Code toolbars are named at build time:
// pipeline/mkdocs_hooks.copy_buttons.)
(() => {
  // Wide tables, formulas and notebook cells scroll sideways: make them reachable by keyboard
  // (axe: scrollable-region-focusable), each region with a name of its own (axe: landmark-unique).
  const kinds = [
    [".md-typeset__scrollwrap", "Table"],
    [".math-display", "Formula"],
    [".highlight-ipynb", "Notebook code cell"],
  ];
  const update = () => {
    const regions = kinds.flatMap(([selector, label]) =>
      [...document.querySelectorAll(selector)].map((region, i) => ({ region, name: `${label} ${i + 1}` })),
    );
    const scrolling = regions.filter(
      ({ region }) => !region.hasAttribute("tabindex") && region.scrollWidth > region.clientWidth,
    );
    scrolling.forEach(({ region, name }) => {
      region.setAttribute("tabindex", "0");
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", name);
    });
  };
  let queued = false;
  const schedule = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      update();
    });
  };
  new MutationObserver(schedule).observe(document.documentElement, { childList: true, subtree: true });
  addEventListener("resize", schedule);
  schedule();
})();
