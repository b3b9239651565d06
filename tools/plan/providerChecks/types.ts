import type { Problem } from "../../../infra/lib/problems";
import type { RecordedResource } from "../recorder";
import { computed, secret } from "../values";

/** One input a rule refuses: the input path, the recorded value and what would be accepted. */
export interface Finding extends Problem {
  /** Overrides the rule's source when one rule reads many sources (e.g. each property's doc comment). */
  readonly source?: string;
}

/**
 * A check of recorded inputs against what AWS or a provider accepts. Every rule names where its
 * value set or constraint comes from: an installed package (with its version) or an AWS page (with
 * the date it was read), so a refusal can be checked against its source.
 */
export interface ProviderRule {
  /** Short kebab-case name, printed with every violation. */
  readonly id: string;
  /** Where the accepted values come from: a URL with the date it was checked, or a package and version. */
  readonly source: string;
  /** Resource types the rule reads; `*` for every recorded resource. */
  readonly types: readonly string[] | "*";
  readonly check: (
    resource: RecordedResource,
    plan: readonly RecordedResource[],
  ) => readonly Finding[] | Promise<readonly Finding[]>;
}

/** A refused input of one resource, as the plan reports it. */
export interface ProviderViolation extends Finding {
  readonly urn: string;
  readonly rule: string;
  readonly source: string;
}

/** The date the AWS pages behind the catalog tables were read. */
export const checkedOn = "2026-12-01";

/** `<url> (checked <date>)`: how a catalog table names its AWS source. */
export function awsPage(url: string): string {
  return `${url} (checked ${checkedOn})`;
}

/** A value the plan knows: neither computed by AWS later nor a secret it must not read. */
export function isKnown(value: unknown): boolean {
  return value !== undefined && value !== null && value !== computed && value !== secret;
}

/** The known string at a dotted path of a resource's inputs, if any. */
export function knownString(inputs: Record<string, unknown>, path: string): string | undefined {
  let current: unknown = inputs;
  for (const key of path.split(".")) current = (current as Record<string, unknown> | undefined)?.[key];
  return typeof current === "string" && isKnown(current) ? current : undefined;
}

/** A finding for a value outside a set: `allowed: one of a, b, c`. */
export function notIn(path: string, value: unknown, allowed: Iterable<string>, context = ""): Finding {
  return { path, value, allowed: `${context}one of ${[...allowed].join(", ")}` };
}
