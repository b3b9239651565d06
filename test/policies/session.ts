import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PolicyPackProcess, type StackContext } from "../../tools/policy/pack";
import { configurePack, reviewStack, type Violation } from "../../tools/policy/review";
import type { WireResource } from "../../tools/policy/wire";
import { repoRoot } from "../support/cli";
import { fixtureStack, graphOf } from "./fixtures";

export interface PolicySession {
  /** The names of the pack's policies, as GetAnalyzerInfo lists them. */
  readonly policies: readonly string[];
  /** Reviews the resources as the plan reviews a stack, with every rule on and `config` applied. */
  review(resources: readonly WireResource[], config?: Record<string, object>): Promise<Violation[]>;
  close(): void;
}

/**
 * One policy pack process for a whole test file, reviewing many small fixtures through the plan's
 * own review path. Every rule is mandatory ("all"), including those a tier disables by default.
 */
export async function startPolicySession(tier: "dev" | "prod" = "prod"): Promise<PolicySession> {
  const context: StackContext = {
    stack: fixtureStack,
    project: "crest",
    organization: "organization",
    config: { "crest:tier": tier },
    secretKeys: [],
  };
  const pack = await PolicyPackProcess.start(join(repoRoot, "policies"), context);
  await pack.configureStack(context);
  const policies = (await pack.info()).policies.map((p) => p.name);
  const dir = mkdtempSync(join(tmpdir(), "crest-policy-fixtures-"));
  const files = new Map<string, string>();
  const configFile = (config: Record<string, object>) => {
    const entries = { all: { enforcementLevel: "mandatory" }, ...config };
    const withReasons = Object.fromEntries(
      Object.entries(entries).map(([name, entry]) => [name, { ...entry, reason: "fixture" }]),
    );
    const text = JSON.stringify(withReasons);
    let file = files.get(text);
    if (!file) {
      file = join(dir, `config-${files.size}.json`);
      writeFileSync(file, text);
      files.set(text, file);
    }
    return file;
  };
  return {
    policies,
    review: async (resources, config = {}) => {
      const configured = await configurePack(pack, {
        root: repoRoot,
        context,
        configFile: configFile(config),
      });
      return (await reviewStack(configured, graphOf(resources))).violations;
    },
    close: () => pack.close(),
  };
}
