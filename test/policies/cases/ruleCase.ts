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
  /**
   * The rule reads values a preview leaves unknown (policy documents built from ARNs): its failing
   * fixtures are the resolved pass's view, and the same fixtures with every value unknown (the
   * preview pass's view) must not be flagged.
   */
  readonly resolvedOnly?: boolean;
  /** Policy config for these fixtures (thresholds), as a stack's config file would give it. */
  readonly config?: Record<string, object>;
}
