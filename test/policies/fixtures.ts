import * as pulumi from "@pulumi/pulumi";
import type { WireGraph, WireResource } from "../../tools/policy/wire";

/** Fixtures belong to this stack and project; `tagging-environment-matches-stack` expects it. */
export const fixtureStack = "fixtures";
const project = "crest";

/** A value a preview does not know yet, as the SDK sends it. */
export const unknown = pulumi.runtime.unknownValue;

/** A secret input, as the SDK wraps it. */
export const secretOf = (value: unknown) => ({
  [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
  value,
});

export const urnOf = (type: string, name: string) =>
  `urn:pulumi:${fixtureStack}::${project}::${type}::${name}`;

export interface FixtureOptions {
  /** The resource's explicit provider; `null` for the default provider. @default the tagged provider of its package */
  readonly provider?: WireResource | null;
  readonly protect?: boolean;
  /** Inputs computed from other resources: property → those resources. */
  readonly deps?: Readonly<Record<string, readonly WireResource[]>>;
  readonly custom?: boolean;
}

function register(
  type: string,
  name: string,
  properties: Record<string, unknown>,
  options: FixtureOptions,
  defaultProvider: (type: string) => WireResource | undefined,
): WireResource {
  const provider = options.provider === undefined ? defaultProvider(type) : options.provider;
  const propertyDependencies = Object.fromEntries(
    Object.entries(options.deps ?? {}).map(([key, resources]) => [key, resources.map((r) => r.urn)]),
  );
  return {
    urn: urnOf(type, name),
    type,
    name,
    parent: urnOf("pulumi:pulumi:Stack", `${project}-${fixtureStack}`),
    custom: options.custom ?? true,
    providerRef: provider ? `${provider.urn}::${unknown}` : "",
    packageVersion: "7.48.0",
    dependencies: [...new Set(Object.values(propertyDependencies).flat())].sort(),
    propertyDependencies,
    // The SDK leaves unset inputs out; a fixture's `undefined` means the same.
    properties: JSON.parse(JSON.stringify(properties)) as Record<string, unknown>,
    options: {
      protect: options.protect ?? false,
      ignoreChanges: [],
      aliases: [],
      additionalSecretOutputs: [],
      customTimeouts: { create: 0, update: 0, delete: 0 },
    },
  };
}

export const standardTags = { owner: "platform", environment: fixtureStack, "cost-center": "cc-1" };

/** The AWS provider every AWS fixture uses unless told otherwise: default tags as the SDK sends them. */
export const awsProvider = register(
  "pulumi:providers:aws",
  "aws",
  { region: "ap-southeast-1", defaultTags: JSON.stringify({ tags: standardTags }) },
  { provider: null },
  () => undefined,
);
export const kubernetesProvider = register(
  "pulumi:providers:kubernetes",
  "eks",
  {},
  { provider: null },
  () => undefined,
);

/** A resource registration as the recorder captures it. */
export function res(
  type: string,
  name: string,
  properties: Record<string, unknown>,
  options: FixtureOptions = {},
): WireResource {
  return register(type, name, properties, options, (t) =>
    t.startsWith("aws:") ? awsProvider : t.startsWith("kubernetes:") ? kubernetesProvider : undefined,
  );
}

/** A fixture as a program would register it: the stack, the providers it uses, then the resources. */
export function graphOf(resources: readonly WireResource[]): WireGraph {
  const stack = register(
    "pulumi:pulumi:Stack",
    `${project}-${fixtureStack}`,
    {},
    { custom: false, provider: null },
    () => undefined,
  );
  const providerUrns = new Set(resources.map((r) => r.providerRef.split("::").slice(0, -1).join("::")));
  const providers = [awsProvider, kubernetesProvider].filter(
    (p) => providerUrns.has(p.urn) && !resources.includes(p),
  );
  return { resources: [{ ...stack, parent: "" }, ...providers, ...resources], outputs: new Map() };
}

/** The same resources with every known scalar input replaced by an unknown, as early in a preview. */
export function allUnknown(resources: readonly WireResource[]): WireResource[] {
  const blank = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(blank);
    if (value !== null && typeof value === "object" && pulumi.runtime.specialSigKey in value) {
      const secret = value as Record<string, unknown>;
      return { ...secret, value: blank(secret.value) };
    }
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blank(v)]));
    }
    return value === null ? null : unknown;
  };
  return resources.map((r) =>
    r.type.startsWith("pulumi:providers:")
      ? r
      : { ...r, properties: blank(r.properties) as Record<string, unknown> },
  );
}
