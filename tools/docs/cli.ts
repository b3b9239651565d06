import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { withConfigReference } from "./configReference";
import { withPolicyReference } from "./policyReference";

// Regenerates the README's config reference from stacks/config and its policy rule table from
// policies/rules. `--check` fails when either is stale.
const readmePath = resolve(__dirname, "../../README.md");
const readme = readFileSync(readmePath, "utf8");
const updated = withPolicyReference(withConfigReference(readme));
if (process.argv.includes("--check")) {
  if (updated !== readme) {
    process.stderr.write("README.md's generated sections are stale: run `npm run docs`\n");
    process.exit(1);
  }
} else if (updated !== readme) {
  writeFileSync(readmePath, updated);
  process.stderr.write("README.md generated sections updated\n");
}
