// Render a JSON list of [tex, displayMode] pairs (stdin) to a JSON list of MathML strings (stdout).
// Runs once per page at build time with Temml: native MathML only (no parallel HTML tree, no math
// script or web font in the reader's browser); the TeX stays in each formula's annotation.
const temml = require("temml");
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([tex, display]) => {
    try {
      return { html: temml.renderToString(tex, { displayMode: display, annotate: true, throwOnError: true }) };
    } catch (err) {
      return { error: String(err.message || err) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
