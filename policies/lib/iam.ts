import { isObject, type Plain, type PlainObject, parsedJson, unknown } from "./values";

/**
 * The statements of an IAM policy document given as JSON text or as an object; `unknown` while the
 * document still contains values the engine does not know (e.g. the ARN of a bucket not created yet).
 */
export function statements(document: Plain | undefined): PlainObject[] | typeof unknown {
  if (document === unknown) return unknown;
  const parsed = parsedJson(document);
  if (!isObject(parsed)) return [];
  const list = parsed.Statement;
  if (list === unknown) return unknown;
  return (Array.isArray(list) ? list : [list]).filter(isObject);
}

/** A string-or-list IAM field (Action, Resource, Principal.AWS) as a list of known strings. */
export function iamList(value: Plain | undefined): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === "string");
}

/**
 * Whether an IAM pattern (`*` any run of characters, `?` one character) matches a value, as IAM
 * matches actions: case-insensitively. `iam:*Role*` matches `iam:PassRole`.
 */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "i").test(value);
}

/** The actions of a statement's `Action` that admit `action` (a pattern covers it). */
export function actionsAdmitting(statement: PlainObject, action: string): string[] {
  return iamList(statement.Action).filter((pattern) => globMatches(pattern, action));
}

/** Whether a statement applies to every resource: `Resource: "*"` or any `NotResource`. */
export function onEveryResource(statement: PlainObject): boolean {
  return iamList(statement.Resource).includes("*") || statement.NotResource !== undefined;
}

/** Whether a principal value names everyone: `"*"`, `{AWS: "*"}`, or an AWS entry with a wildcard. */
export function admitsAnyone(principal: Plain | undefined): boolean {
  if (principal === "*") return true;
  if (!isObject(principal)) return false;
  return iamList(principal.AWS).some((p) => p.includes("*"));
}

/** The condition keys a statement tests, lower-cased, with the values it tests them against. */
export function conditionKeys(statement: PlainObject): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  const condition = statement.Condition;
  if (!isObject(condition)) return keys;
  for (const [operator, tests] of Object.entries(condition)) {
    if (!isObject(tests)) continue;
    for (const [key, value] of Object.entries(tests)) {
      const values = (Array.isArray(value) ? value : [value]).map((v) => String(v));
      // A `…IfExists` operator passes when the key is absent, so it narrows nothing.
      if (!operator.endsWith("IfExists"))
        keys.set(key.toLowerCase(), [...(keys.get(key.toLowerCase()) ?? []), ...values]);
    }
  }
  return keys;
}

/**
 * Whether a statement is narrowed by a condition on one of `keys` with fixed values (no wildcard),
 * which is what AWS requires before it calls a grant to `*` not public (IAM Access Analyzer,
 * "Determining whether a policy is public").
 */
export function narrowedBy(statement: PlainObject, keys: readonly string[]): boolean {
  const tested = conditionKeys(statement);
  return keys.some((key) => {
    const values = tested.get(key.toLowerCase());
    return values !== undefined && values.length > 0 && values.every((v) => v !== "" && !v.includes("*"));
  });
}

/** Condition keys that tie a request to one account, organization, network or source resource. */
export const narrowingKeys = [
  "aws:PrincipalAccount",
  "aws:PrincipalOrgID",
  "aws:PrincipalArn",
  "aws:SourceAccount",
  "aws:SourceArn",
  "aws:SourceOwner",
  "aws:SourceVpc",
  "aws:SourceVpce",
  "kms:CallerAccount",
  "kms:ViaService",
];

/**
 * Allow statements of a resource policy that admit anyone: a `*` principal without a narrowing
 * condition, or `NotPrincipal` (which admits everyone it does not name).
 */
export function publicGrants(list: readonly PlainObject[], keys: readonly string[] = narrowingKeys) {
  return list.filter(
    (s) =>
      s.Effect === "Allow" &&
      (s.NotPrincipal !== undefined || (admitsAnyone(s.Principal) && !narrowedBy(s, keys))),
  );
}

/** How a finding names a statement: its Sid, else its position. */
export function statementLabel(statement: PlainObject, index: number): string {
  return typeof statement.Sid === "string" && statement.Sid
    ? `statement ${statement.Sid}`
    : `statement #${index + 1}`;
}
