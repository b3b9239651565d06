import * as pulumi from "@pulumi/pulumi";

const { unknownValue, specialSigKey, specialSecretSig, specialResourceSig } = pulumi.runtime;

/** Options the engine hands a policy with each resource (AnalyzerResourceOptions). */
export interface WireOptions {
  readonly protect: boolean;
  readonly ignoreChanges: string[];
  /** Set only when the program set it. */
  readonly deleteBeforeReplace?: boolean;
  readonly aliases: string[];
  readonly additionalSecretOutputs: string[];
  /** Seconds; 0 when not set. */
  readonly customTimeouts: { readonly create: number; readonly update: number; readonly delete: number };
}

/**
 * One resource registration as the engine received it from the program: the properties in wire form
 * (unknown sentinels, secret wrappers and resource references intact), its graph edges and options.
 */
export interface WireResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  readonly custom: boolean;
  /** Provider reference `urn::id`; empty for components and for resources on a default provider. */
  readonly providerRef: string;
  /** Version of the resource's package, which names its default provider. */
  readonly packageVersion: string;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
  readonly properties: Record<string, unknown>;
  readonly options: WireOptions;
}

/** A program's registrations, in registration order, and the outputs its components registered. */
export interface WireGraph {
  readonly resources: WireResource[];
  readonly outputs: ReadonlyMap<string, Record<string, unknown>>;
}

/** Go's `time.ParseDuration` subset the SDK accepts for custom timeouts (`1h30m`, `90s`), in seconds. */
export function durationSeconds(text: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(amount) * (units[unit as string] ?? 0);
  }
  return total;
}

/**
 * Marshals a property value the way the engine marshals it for an analyzer (KeepUnknowns,
 * KeepSecrets, not KeepResources, SkipInternalKeys): unknowns and secret wrappers stay, a resource
 * reference becomes its id (unknown while the resource is not created) or, for a component, its URN,
 * and keys starting with `__` are left out at every level.
 */
export function engineValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(engineValue);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const signature = record[specialSigKey];
  if (signature === specialResourceSig) {
    if (!("id" in record)) return record.urn;
    return typeof record.id === "string" && record.id !== "" ? record.id : unknownValue;
  }
  if (signature === specialSecretSig)
    return { [specialSigKey]: specialSecretSig, value: engineValue(record.value) };
  return Object.fromEntries(
    Object.entries(record)
      .filter(([key]) => !key.startsWith("__"))
      .map(([key, v]) => [key, engineValue(v)]),
  );
}

/** The provider resource a policy receives beside a resource. */
export interface ProviderView {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly properties: Record<string, unknown>;
}

const providerType = /^pulumi:providers:(.+)$/;

/**
 * The provider the engine would pass with a resource: its explicit provider's inputs, or for a custom
 * resource without one, the package's default provider, whose inputs are the stack's `<package>:*`
 * config. Components, the stack and providers themselves have none.
 */
export function providerOf(
  resource: WireResource,
  byUrn: ReadonlyMap<string, WireResource>,
  context: { stack: string; project: string; config: Readonly<Record<string, string>> },
): ProviderView | undefined {
  if (!resource.custom || providerType.test(resource.type)) return undefined;
  if (resource.providerRef) {
    const urn = resource.providerRef.slice(0, resource.providerRef.lastIndexOf("::"));
    const provider = byUrn.get(urn);
    if (!provider) return undefined;
    return {
      urn,
      type: provider.type,
      name: provider.name,
      properties: engineValue(provider.properties) as Record<string, unknown>,
    };
  }
  const pkg = resource.type.split(":")[0] ?? "";
  const name = resource.packageVersion
    ? `default_${resource.packageVersion.replace(/[.+-]/g, "_")}`
    : "default";
  const prefix = `${pkg}:`;
  const properties = Object.fromEntries(
    Object.entries(context.config)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
  return {
    urn: `urn:pulumi:${context.stack}::${context.project}::pulumi:providers:${pkg}::${name}`,
    type: `pulumi:providers:${pkg}`,
    name,
    properties,
  };
}
