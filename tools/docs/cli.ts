import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { withConfigReference } from "./configReference";

// Regenerates the README's config reference from stacks/config. `--check` fails when it is stale.
const readmePath = resolve(__dirname, "../../README.md");
const readme = readFileSync(readmePath, "utf8");
const updated = withConfigReference(readme);
if (process.argv.includes("--check")) {
  if (updated !== readme) {
    process.stderr.write("README.md's config reference is stale: run `npm run docs`\n");
    process.exit(1);
  }
} else if (updated !== readme) {
  writeFileSync(readmePath, updated);
  process.stderr.write("README.md config reference updated\n");
}
