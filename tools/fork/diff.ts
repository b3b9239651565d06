import { namespace, type StackConfig } from "../../stacks/config/load";

export interface SettingChange {
  /** Flattened key, e.g. `crest:network.vpcCidr`. */
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

export interface SettingsDiff {
  readonly changed: SettingChange[];
  readonly unchanged: string[];
}

/** How a secret shows in the diff: its value is never read. */
const secretMarker = "[secret]";

/**
 * The settings a stack deploys with, one entry per flattened key: what its file sets (every key,
 * whatever its namespace) and, for the `crest:` keys it leaves out, the tier default it gets. Lists
 * are one value, so an AZ list reads as one line.
 */
export function effectiveSettings(
  fileConfig: Record<string, unknown>,
  config: StackConfig,
): Map<string, string> {
  const settings = new Map<string, string>();
  flatten(fileConfig, "", (path, value) => settings.set(path, value));
  const { stack: _name, ...resolved } = config;
  flatten(resolved, `${namespace}:`, (path, value) => {
    if (!settings.has(path)) settings.set(path, `${value} (default)`);
  });
  return settings;
}

function flatten(value: unknown, path: string, emit: (path: string, value: string) => void): void {
  if (value === undefined) return;
  if (isRecord(value) && !isSecureValue(value) && Object.keys(value).length > 0) {
    const separator = path === "" || path.endsWith(":") ? "" : ".";
    for (const [key, child] of Object.entries(value)) flatten(child, `${path}${separator}${key}`, emit);
  } else {
    emit(path, isSecureValue(value) ? secretMarker : show(value));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isSecureValue(value: unknown): boolean {
  return isRecord(value) && Object.keys(value).length === 1 && "secure" in value;
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Key by key, in the source's key order, then keys only the fork has. */
export function diffSettings(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  leftOut: ReadonlySet<string>,
): SettingsDiff {
  const changed: SettingChange[] = [];
  const unchanged: string[] = [];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(path) ?? "(not set)";
    const now = leftOut.has(path) ? "(left out: set it, see below)" : (after.get(path) ?? "(not set)");
    if (was === now) unchanged.push(path);
    else changed.push({ path, before: was, after: now });
  }
  return { changed, unchanged };
}

export function formatDiff(diff: SettingsDiff): string[] {
  const width = Math.max(0, ...diff.changed.map((c) => c.path.length));
  return [
    ...diff.changed.map((c) => `  ${c.path.padEnd(width)}  ${c.before} → ${c.after}`),
    `  unchanged (${diff.unchanged.length}):`,
    ...wrap(diff.unchanged, "    "),
  ];
}

/** Comma-separated items in lines of at most `width` characters. */
function wrap(items: readonly string[], indent: string, width = 100): string[] {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    if (line && indent.length + line.length + item.length + 2 > width) {
      lines.push(`${indent}${line},`);
      line = "";
    }
    line = line ? `${line}, ${item}` : item;
  }
  return line ? [...lines, `${indent}${line}`] : lines;
}
