import assert from "node:assert/strict";
import { after, test } from "node:test";
import { controlCases } from "./cases/controls";
import { costCases } from "./cases/cost";
import { kubernetesCases } from "./cases/kubernetes";
import { kubernetesHardeningCases } from "./cases/kubernetesHardening";
import { permissionCases } from "./cases/permissions";
import { reliabilityCases } from "./cases/reliability";
import type { RuleCase } from "./cases/ruleCase";
import { securityCases } from "./cases/security";
import { taggingCases } from "./cases/tagging";
import { allUnknown } from "./fixtures";
import { startPolicySession } from "./session";

const cases: RuleCase[] = [
  ...securityCases,
  ...permissionCases,
  ...controlCases,
  ...reliabilityCases,
  ...kubernetesCases,
  ...kubernetesHardeningCases,
  ...costCases,
  ...taggingCases,
];
const session = startPolicySession();
after(async () => (await session).close());

test("every rule of the pack has a case, and every case names a rule of the pack", async () => {
  const { policies } = await session;
  const covered = cases.map((c) => c.rule);
  assert.ok(policies.length >= 25, `the pack has ${policies.length} rules`);
  assert.deepEqual([...covered].sort(), [...new Set(covered)].sort(), "one case per rule");
  assert.deepEqual([...covered].sort(), [...policies].sort(), "cases and the pack's rules differ");
  for (const name of policies) {
    assert.match(
      name,
      /^(security|reliability|kubernetes|cost|tagging)-[a-z0-9-]+$/,
      `${name} names its concern`,
    );
  }
});

for (const c of cases) {
  test(`${c.rule} fires on each violating fixture, with its finding`, async () => {
    const pack = await session;
    for (const failing of c.failing) {
      const violations = await pack.review(failing.fixture, c.config);
      const findings = violations.filter((v) => v.policy === c.rule);
      assert.ok(
        findings.some((v) => failing.finding.test(v.message)),
        `expected ${failing.finding} among ${JSON.stringify(findings.map((v) => v.message))}`,
      );
      for (const v of findings) {
        assert.equal(v.enforcementLevel, "mandatory");
        assert.match(v.fix, /Fix: /, "the description says how to fix it");
        assert.match(v.urn, /^urn:pulumi:fixtures::crest::/);
      }
    }
  });

  if (c.resolvedOnly) {
    test(`${c.rule} waits for known values: its violating fixtures pass while their values are unknown`, async () => {
      const pack = await session;
      for (const failing of c.failing) {
        const violations = await pack.review(allUnknown(failing.fixture), c.config);
        assert.deepEqual(
          violations.filter((v) => v.policy === c.rule || /can't run/.test(v.message)),
          [],
          `${failing.finding} as a preview has it`,
        );
      }
    });
  }

  test(`${c.rule} passes compliant fixtures, also while their values are unknown`, async () => {
    const pack = await session;
    for (const passing of c.passing) {
      for (const fixture of [passing, allUnknown(passing)]) {
        const violations = await pack.review(fixture, c.config);
        assert.deepEqual(
          violations.filter((v) => v.policy === c.rule || /can't run/.test(v.message)),
          [],
          fixture === passing ? "as given" : "with every value unknown",
        );
      }
    }
  });
}
