// Two accessibility fixes Material does not make, applied once per animation frame in which the page
// changed (Material adds code toolbars after load): one pass reads every width, then writes.
(() => {
  // Wide tables, formulas and notebook cells scroll sideways: make them reachable by keyboard
  // (axe: scrollable-region-focusable), each region with a name of its own (axe: landmark-unique).
  const kinds = [
    [".md-typeset__scrollwrap", "Table"],
    [".math-display", "Formula"],
    [".highlight-ipynb", "Notebook code cell"],
  ];
  const update = () => {
    // Each code block's toolbar (copy button) gets a name of its own: Material renders every one as an
    // unnamed <nav>, and several same-named landmarks confuse screen readers (axe: landmark-unique).
    document.querySelectorAll(".md-code__nav").forEach((nav, i) => {
      if (nav.hasAttribute("aria-label")) return;
      const block = nav.closest(".highlight");
      const lang = block && [...block.classList].find((c) => c.startsWith("language-"));
      nav.setAttribute("aria-label", `Code block ${i + 1}${lang ? ` (${lang.slice(9)})` : ""} tools`);
    });
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
