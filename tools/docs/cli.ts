import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { withConfigReference } from "./configReference";
import { withExternalVersions } from "./externalVersions";

// Regenerates the README's generated blocks: the config reference (stacks/config) and the external
// versions (infra/lib/pins.ts). `--check` fails when either is stale.
const readmePath = resolve(__dirname, "../../README.md");
const readme = readFileSync(readmePath, "utf8");
const updated = withExternalVersions(withConfigReference(readme));
if (process.argv.includes("--check")) {
  if (updated !== readme) {
    process.stderr.write("README.md's generated tables are stale: run `npm run docs`\n");
    process.exit(1);
  }
} else if (updated !== readme) {
  writeFileSync(readmePath, updated);
  process.stderr.write("README.md generated tables updated\n");
}
