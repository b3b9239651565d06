import { UnknownValueError } from "@pulumi/policy";

/**
 * A value the engine does not know yet (during a preview: ids, ARNs, anything computed from them).
 * The engine hands a policy its properties behind a proxy that throws `UnknownValueError` when such
 * a value is read; `plain` turns that into this marker, so a rule decides what an unknown means
 * instead of the whole rule being skipped with a "can't run during preview" warning.
 */
export const unknown: unique symbol = Symbol("unknown until the resource exists");
export type Unknown = typeof unknown;

/** A property value as rules see it: JSON, with unknowns marked. */
export type Plain = string | number | boolean | null | Unknown | Plain[] | { [key: string]: Plain };
export type PlainObject = { [key: string]: Plain };

function readChild(parent: Record<PropertyKey, unknown>, key: PropertyKey): Plain {
  try {
    return plain(parent[key]);
  } catch (error) {
    if (error instanceof UnknownValueError) return unknown;
    throw error;
  }
}

/**
 * Copies properties out of the engine's unknown-checking proxy, reading every field through the
 * proxy exactly once. Assets and archives (class instances) become a short description.
 */
export function plain(value: unknown): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value !== "object") return String(value);
  const record = value as Record<PropertyKey, unknown>;
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => readChild(record, i));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `<${proto?.constructor?.name ?? "object"}>`;
  const result: PlainObject = {};
  for (const key of Object.keys(value)) result[key] = readChild(record, key);
  return result;
}

/** The value at a dotted path (`spec.template.spec`, `rules.0.id`); `undefined` when absent. */
export function at(value: Plain | undefined, path: string): Plain | undefined {
  let node: Plain | undefined = value;
  for (const key of path.split(".")) {
    if (node === unknown) return unknown;
    if (node === null || node === undefined || typeof node !== "object") return undefined;
    node = Array.isArray(node) ? node[Number(key)] : node[key];
  }
  return node;
}

export function isObject(value: Plain | undefined): value is PlainObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A list's items; an absent list is empty, an unknown one stays unknown. */
export function items(value: Plain | undefined): Plain[] | Unknown {
  if (value === unknown) return unknown;
  return Array.isArray(value) ? value : [];
}

/** Whether a list, or any of its items, is not known yet. */
export function anyUnknown(value: Plain | undefined): boolean {
  const list = items(value);
  return list === unknown || list.includes(unknown);
}

/** Known string items of a list; unknown items (ids not created yet) are left out. */
export function knownStrings(value: Plain | undefined): string[] {
  const list = items(value);
  return list === unknown ? [] : list.filter((v): v is string => typeof v === "string");
}

/** How a finding quotes a value: `not set` for absent, JSON otherwise. */
export function show(value: Plain | undefined): string {
  if (value === undefined || value === null) return "not set";
  if (value === unknown) return "unknown";
  return JSON.stringify(value);
}

/**
 * Some inputs arrive as JSON text: IAM policy documents, and a provider's object-valued settings
 * (the SDK JSON-encodes every non-string provider input). Returns the parsed value, the value itself
 * when it is already structured, or `undefined` when the text is not JSON.
 */
export function parsedJson(value: Plain | undefined): Plain | undefined {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as Plain;
  } catch {
    return undefined;
  }
}

/** Whether any value inside `value`, at any depth, is not known yet. */
export function containsUnknown(value: Plain | undefined): boolean {
  if (value === unknown) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  return isObject(value) && Object.values(value).some(containsUnknown);
}
