import type { WireResource } from "../../../tools/policy/wire";

/** A fixture that must make the rule fire, with a finding that says why. */
export interface Failing {
  readonly fixture: readonly WireResource[];
  readonly finding: RegExp;
}

/** How one rule is proven: fixtures that violate it, fixtures that pass it. */
export interface RuleCase {
  readonly rule: string;
  readonly failing: readonly Failing[];
  readonly passing: readonly (readonly WireResource[])[];
  /** Policy config for these fixtures (thresholds), as a stack's config file would give it. */
  readonly config?: Record<string, object>;
}
