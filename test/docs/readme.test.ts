import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { externalPins } from "../../infra/lib/pins";
import { rules } from "../../policies/rules";
import { configKeyPaths } from "../../stacks/config/schema";
import { withConfigReference } from "../../tools/docs/configReference";
import { withExternalVersions } from "../../tools/docs/externalVersions";
import { withPolicyReference } from "../../tools/docs/policyReference";
import { repoRoot } from "../support/cli";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");

test("the README's config reference is the one generated from stacks/config", () => {
  assert.equal(readme, withConfigReference(readme), "stale: run `npm run docs`");
});

test("the README's external versions table is the one generated from the pin register", () => {
  assert.equal(readme, withExternalVersions(readme), "stale: run `npm run docs`");
  for (const pin of externalPins())
    assert.ok(readme.includes(`| \`${pin.value}\` | <${pin.source}> |`), pin.name);
});

test("the README's policy rule table is the one generated from policies/rules, with every rule", () => {
  assert.equal(readme, withPolicyReference(readme), "stale: run `npm run docs`");
  for (const rule of rules) assert.ok(readme.includes(`| \`${rule.id}\` |`), rule.id);
});

test("the config reference documents every key of the schema", () => {
  for (const path of configKeyPaths()) assert.ok(readme.includes(`| \`crest:${path}\` |`), path);
});

test("the README's two set-up commands are the ones CI runs", () => {
  const ci = readFileSync(join(repoRoot, ".ci/run"), "utf8");
  assert.match(readme, /^npm run plan -- --stack dev /m);
  assert.match(readme, /^npm test /m);
  assert.match(ci, /^npm test$/m);
  assert.match(ci, /^npm run plan -- --stack dev/m);
});
