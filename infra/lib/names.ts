import type { Problem } from "./problems";

/**
 * Pulumi's AWS provider autonames a resource `<logical name>-<7 random characters>` and refuses a
 * logical name whose result would pass the field's limit (pulumi-terraform-bridge AutoName, as
 * https://github.com/pulumi/pulumi-aws/blob/master/provider/resources.go configures each field).
 */
export const autonameSuffixLength = 8;

/** A name with an AWS length limit that a component derives from its own name. */
export interface DerivedName {
  /** What AWS calls the name, e.g. "ElastiCache replication group id". */
  readonly what: string;
  /** The longest text the component appends to its own name for it. */
  readonly suffix: string;
  /** Whether Pulumi autonames it, appending its random suffix after `suffix`. */
  readonly autonamed: boolean;
  /** AWS's limit on the whole name. */
  readonly maxLength: number;
}

/** Every name a component derives that AWS limits; at least one. */
export type DerivedNames = readonly [DerivedName, ...DerivedName[]];

/** The longest component name whose derived names all fit, and the derived name that sets it. */
export function nameBudget(derived: DerivedNames): {
  readonly maxLength: number;
  readonly tightest: DerivedName;
} {
  const room = (d: DerivedName) => d.maxLength - d.suffix.length - (d.autonamed ? autonameSuffixLength : 0);
  const tightest = derived.reduce((a, b) => (room(b) < room(a) ? b : a));
  return { maxLength: room(tightest), tightest };
}

/**
 * A component name AWS accepts in every name derived from it: lower case (S3 bucket names and
 * ElastiCache and RDS identifiers are), a letter first, single hyphens, and short enough.
 */
export function derivedNameProblems(name: string, derived: DerivedNames): Problem[] {
  const { maxLength, tightest } = nameBudget(derived);
  if (lowerCaseName.test(name) && name.length <= maxLength) return [];
  return [
    {
      path: "name",
      value: name,
      allowed:
        `lowercase letters, digits and single hyphens, starting with a letter, at most ${maxLength} characters ` +
        `(it prefixes the ${tightest.what}, which AWS caps at ${tightest.maxLength})`,
    },
  ];
}

/** Lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen. */
export const lowerCaseName = /^[a-z](?:-?[a-z0-9])*$/;
