import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { RecordedResource } from "../recorder";
import { type Finding, isKnown, type ProviderRule } from "./types";

/**
 * What the installed `@pulumi/aws` says about each input: its TypeScript typings carry, for every
 * property of a resource's Args and of each nested input type, whether it is required and a doc
 * comment that often closes the value set ("Valid values are `a`, `b` and `c`."). Both are read
 * from the package itself, so they move with the pinned provider version.
 */
interface PropertyDoc {
  readonly optional: boolean;
  /** The doc comment as one line. */
  readonly doc: string;
  /** `ns.Interface` of a nested input type (`inputs.ns.Interface` in the typings), if any. */
  readonly nested?: string;
}

type InterfaceDocs = ReadonlyMap<string, PropertyDoc>;

const packageRoot = dirname(require.resolve("@pulumi/aws/package.json"));
const packageVersion = (
  JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string }
).version;
export const awsPackage = `@pulumi/aws ${packageVersion}`;

/**
 * Interfaces of one generated `.d.ts` file, keyed by name (`ns.Name` inside `export declare
 * namespace ns`). The generated files are regular (four-space indents, one property per line, a
 * JSDoc block before each), so a line scanner reads the 5 MB input types in a fraction of the time
 * a TypeScript parse takes. A property whose type spans lines (an inline map) is skipped: maps carry
 * no value set.
 */
function parseInterfaces(text: string): Map<string, Map<string, PropertyDoc>> {
  const interfaces = new Map<string, Map<string, PropertyDoc>>();
  let namespace = "";
  let current: Map<string, PropertyDoc> | undefined;
  let propertyIndent = "";
  let doc: string[] | undefined;
  let lastDoc = "";
  for (const line of text.split("\n")) {
    const ns = /^export declare namespace (\w+) \{$/.exec(line);
    if (ns) {
      namespace = ns[1] as string;
      continue;
    }
    const start = /^( *)(?:export )?interface (\w+) \{$/.exec(line);
    if (start) {
      current = new Map();
      const indent = start[1] as string;
      interfaces.set(indent ? `${namespace}.${start[2]}` : (start[2] as string), current);
      propertyIndent = `${indent}    `;
      continue;
    }
    if (!current) continue;
    const trimmed = line.trim();
    if (line.startsWith(`${propertyIndent}/**`)) {
      doc = [];
      continue;
    }
    if (doc) {
      if (trimmed === "*/") {
        lastDoc = doc.join(" ");
        doc = undefined;
      } else doc.push(trimmed.replace(/^\* ?/, ""));
      continue;
    }
    const property = new RegExp(`^${propertyIndent}(\\w+)(\\?)?: (.+);$`).exec(line);
    if (property) {
      const nested = /inputs\.(\w+\.\w+)/.exec(property[3] as string)?.[1];
      current.set(property[1] as string, { optional: property[2] === "?", doc: lastDoc, nested });
    } else if (!line.startsWith(propertyIndent) && trimmed === "}") {
      current = undefined;
    }
    // A doc comment belongs to the line right after it only (never to a later property).
    lastDoc = "";
  }
  return interfaces;
}

let inputTypes: Map<string, Map<string, PropertyDoc>> | undefined;
const argsByType = new Map<string, InterfaceDocs | undefined>();

/** The Args interface of a resource type token, e.g. `aws:eks/nodeGroup:NodeGroup` → eks/nodeGroup.d.ts. */
function argsOf(type: string): InterfaceDocs | undefined {
  if (argsByType.has(type)) return argsByType.get(type);
  const match = /^aws:([\w]+)\/(\w+):(\w+)$/.exec(type);
  const file = match && join(packageRoot, match[1] as string, `${match[2]}.d.ts`);
  const args =
    file && existsSync(file) ? parseInterfaces(readFileSync(file, "utf8")).get(`${match[3]}Args`) : undefined;
  argsByType.set(type, args);
  return args;
}

function nestedOf(name: string): InterfaceDocs | undefined {
  inputTypes ??= parseInterfaces(readFileSync(join(packageRoot, "types", "input.d.ts"), "utf8"));
  return inputTypes.get(name);
}

const valueSetLead =
  /\b(?:valid values(?: are)?|possible values are|allowed values(?: are)?|must be one of|one of)\s*:?\s*/gi;

/**
 * The closed value set a doc comment states, if it states exactly one: a lead ("Valid values are",
 * "One of", …) followed, up to the end of the sentence, by nothing but backticked values (or bare
 * numbers) and separators. A sentence with any other word ("e.g.", "such as", "or a CIDR") is not
 * a closed set, nor is one under a condition ("For Network Load Balancers, valid values are …"), and
 * a comment with two sets is conditional too: none of these ever refuses a value.
 */
export function documentedValues(doc: string): string[] | undefined {
  const sets: string[][] = [];
  for (const lead of doc.matchAll(valueSetLead)) {
    const from = (lead.index ?? 0) + lead[0].length;
    let end = from;
    let inTicks = false;
    while (end < doc.length) {
      const c = doc[end];
      if (c === "`") inTicks = !inTicks;
      else if (!inTicks && c === "." && (end + 1 === doc.length || doc[end + 1] === " ")) break;
      end++;
    }
    const sentenceStart = doc.lastIndexOf(". ", lead.index ?? 0) + 1;
    const conditional = /\b(?:for|if|when|with|unless)\b/i.test(doc.slice(sentenceStart, lead.index));
    const sentence = doc.slice(from, end);
    const ticked = [...sentence.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
    const rest = sentence.replace(/`[^`]+`/g, "");
    const values =
      ticked.length > 0
        ? ticked
        : rest
            .split(/,|\band\b|\bor\b/)
            .map((s) => s.trim())
            .filter(Boolean);
    const separatorsOnly = /^[\s,]*(?:(?:and|or)[\s,]+)*[\s,]*$/i;
    const closed = ticked.length > 0 ? separatorsOnly.test(`${rest} `) : values.every((v) => /^\d+$/.test(v));
    if (conditional) return undefined;
    if (closed && values.length >= 2) sets.push(values.map((v) => v.replace(/^"(.*)"$/, "$1")));
  }
  return sets.length === 1 ? sets[0] : undefined;
}

/** `2XX` in a documented set stands for any status code of that class. */
function accepts(allowed: readonly string[], value: string): boolean {
  return allowed.some((a) => a === value || (/^\dXX$/.test(a) && new RegExp(`^${a[0]}\\d\\d$`).test(value)));
}

function checkValue(path: string, value: unknown, property: PropertyDoc, where: string): Finding[] {
  if (!isKnown(value) || (typeof value !== "string" && typeof value !== "number")) return [];
  const allowed = documentedValues(property.doc);
  if (!allowed || accepts(allowed, String(value))) return [];
  return [
    { path, value, allowed: `one of ${allowed.join(", ")}`, source: `${awsPackage} typings, ${where}` },
  ];
}

/** Walks recorded inputs along their typings: each documented value set and each required property. */
function walk(inputs: Record<string, unknown>, docs: InterfaceDocs, path: string, where: string): Finding[] {
  const findings: Finding[] = [];
  for (const [name, property] of docs) {
    const value = inputs[name];
    const at = path ? `${path}.${name}` : name;
    if (value === undefined) {
      if (!property.optional)
        findings.push({
          path: at,
          value,
          allowed: `a value (${where}.${name} is required)`,
          source: awsPackage,
        });
      continue;
    }
    const nested = property.nested ? nestedOf(property.nested) : undefined;
    const items = Array.isArray(value)
      ? value.map((v, i) => [v, `${at}[${i}]`] as const)
      : [[value, at] as const];
    for (const [item, itemPath] of items) {
      if (nested && item && typeof item === "object")
        findings.push(...walk(item as Record<string, unknown>, nested, itemPath, property.nested as string));
      else findings.push(...checkValue(itemPath, item, property, `${where}.${name}`));
    }
  }
  return findings;
}

/** Enum values and required properties of every `aws:*` resource, from the installed provider's typings. */
export const awsTypedInputs: ProviderRule = {
  id: "aws-typed-input",
  source: `${awsPackage} typings (Args interfaces and types/input.d.ts doc comments)`,
  types: "*",
  check(resource: RecordedResource) {
    if (!resource.custom || !resource.type.startsWith("aws:")) return [];
    const args = argsOf(resource.type);
    const interfaceName = `${resource.type.split(":")[2]}Args`;
    return args ? walk(resource.inputs, args, "", interfaceName) : [];
  },
};
