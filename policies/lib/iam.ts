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
