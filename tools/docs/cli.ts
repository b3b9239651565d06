import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { withConfigReference } from "./configReference";
import { withExternalVersions } from "./externalVersions";
import { withPolicyReference } from "./policyReference";

// Regenerates the README's generated blocks: the config reference (stacks/config), the external
// versions (infra/lib/pins.ts) and the policy rules (policies/rules). `--check` fails when one is stale.
const readmePath = resolve(__dirname, "../../README.md");
const readme = readFileSync(readmePath, "utf8");
const updated = withPolicyReference(withExternalVersions(withConfigReference(readme)));
if (process.argv.includes("--check")) {
  if (updated !== readme) {
    process.stderr.write("README.md's generated tables are stale: run `npm run docs`\n");
    process.exit(1);
  }
} else if (updated !== readme) {
  writeFileSync(readmePath, updated);
  process.stderr.write("README.md generated tables updated\n");
}
