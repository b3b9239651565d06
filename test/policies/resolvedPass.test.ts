import assert from "node:assert/strict";
import { copyFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { blocks, runPlan } from "../../tools/plan/run";
import { repoRoot, tempDir } from "../support/cli";

/**
 * A project of its own around test/policies/programs/adminRolePolicy.ts: the prod stack file, the
 * repository's policy pack, and a main that is the real program plus an `Allow "*" on "*"` role
 * policy. Nothing in the product knows about it.
 */
function injectedProject(): string {
  const root = tempDir("injected-admin");
  const main = join(repoRoot, "test/policies/programs/adminRolePolicy.ts");
  writeFileSync(join(root, "Pulumi.yaml"), `name: crest\nruntime: nodejs\nmain: ${main}\n`);
  copyFileSync(join(repoRoot, "Pulumi.prod.yaml"), join(root, "Pulumi.prod.yaml"));
  symlinkSync(join(repoRoot, "policies"), join(root, "policies"));
  return root;
}

test('a role policy with Allow "*" on "*" added to the program blocks the plan, judged on resolved values', async () => {
  const doc = await runPlan(injectedProject(), "prod");
  const injected = doc.violations.filter((v) => v.urn.endsWith("::injected-admin"));
  assert.deepEqual(
    injected.map((v) => [v.policy, v.enforcementLevel, v.message]),
    [
      [
        "security-iam-no-admin-wildcard",
        "mandatory",
        'statement #2 allows * on "*" (judged on resolved values)',
      ],
    ],
  );
  assert.equal(blocks(doc), true, "plan exits 1");
  // In the preview pass the document is unknown; in the resolved pass no policy document is.
  assert.ok(doc.passes.preview.unknownPolicyDocuments > 0);
  assert.equal(doc.passes.resolved.unknownPolicyDocuments, 0);
  assert.ok(
    doc.resources.some((r) => r.urn.endsWith("::injected-admin") && r.inputs.policy === "<computed>"),
  );
});
