import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { durationSeconds, type WireGraph, type WireResource } from "../policy/wire";
import { renderWireValue } from "./values";

/** One resource as the engine would receive it from `pulumi preview`. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** URN of the parent resource; empty for the root stack. */
  readonly parent: string;
  /** True for cloud resources, false for components (and the stack). */
  readonly custom: boolean;
  readonly protect: boolean;
  /** URN of the explicit provider, when one was passed. */
  readonly provider: string;
  /** URNs this resource depends on (explicit and through its inputs), sorted. */
  readonly dependencies: string[];
  /**
   * The URNs each top-level input depends on, sorted: what a replacement cascades through (a
   * dependent's input then becomes unknown, and is a change if it forces a new resource).
   */
  readonly propertyDependencies: Record<string, string[]>;
  readonly inputs: Record<string, unknown>;
}

/**
 * Outputs to make known although a preview would leave them unknown: the plan's resolved pass
 * (resolvedOutputs.ts), or a test that wants e.g. a generated password known, to prove it is still
 * rendered as a secret. A string `id` among them becomes the resource's id.
 */
export type ComputedOutputs = (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown>;

/**
 * Computed outputs nested inside an input map. A top-level output the mocks do not return is unknown
 * in a preview, as the engine has it; one inside a map the inputs set would read as a known
 * `undefined` instead, so these are made unknown explicitly, as `pulumi preview` shows them.
 */
const nestedPreviewUnknowns: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {
  "aws:eks/cluster:Cluster": (inputs) => ({
    vpcConfig: {
      ...(inputs.vpcConfig as object),
      clusterSecurityGroupId: pulumi.unknown,
      vpcId: pulumi.unknown,
    },
  }),
};

function previewState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  return { ...args.inputs, ...nestedPreviewUnknowns[args.type]?.(args.inputs) };
}

export interface Recording {
  readonly resources: RecordedResource[];
  readonly outputs: Record<string, unknown>;
  /** The same registrations in wire form, for the policy pack; not enumerable, never written out. */
  readonly wire: WireGraph;
}

interface WireStruct {
  toJavaScript(): Record<string, unknown>;
}

/** The parts of a RegisterResourceRequest the plan keeps (generated protobuf accessors). */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean | undefined;
  getProvider(): string;
  getVersion(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(cb: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
  getObject(): WireStruct | undefined;
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getAdditionalsecretoutputsList(): string[];
  getAliasurnsList(): string[];
  getAliasesList(): { getUrn(): string }[];
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}

type Callback = (err: unknown, response: { getUrn(): string } | undefined) => void;

interface MonitorLike {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(req: { getUrn(): string; getOutputs(): WireStruct | undefined }, cb: unknown): void;
}

/**
 * Look-ups whose answer AWS publishes and that are the same in every account: the plan answers
 * them as the cloud would, with a deterministic stand-in for the id.
 */
const publishedLookups: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {
  // An AWS managed prefix list, found by name (its pl-… id differs per region).
  "aws:ec2/getManagedPrefixList:getManagedPrefixList": (inputs) => ({
    id: `pl-${createHash("sha256").update(String(inputs.name)).digest("hex").slice(0, 8)}`,
    name: inputs.name,
    addressFamily: "IPv4",
  }),
};

/**
 * Installs Pulumi's official runtime mocks in preview mode and records every resource registration
 * with its parent, provider, dependencies and inputs in wire form, so unknowns and secrets are
 * rendered exactly as the engine would see them. The mocks answer for the cloud API only: a new
 * resource's outputs are its inputs (as in a real preview of a create) and its id stays unknown.
 */
export function startRecording(
  project: string,
  stack: string,
  onRegister: (resource: RecordedResource, count: number) => void,
  computedOutputs: ComputedOutputs = () => ({}),
): () => Recording {
  const resources: RecordedResource[] = [];
  const wire: WireResource[] = [];
  const componentOutputs = new Map<string, Record<string, unknown>>();
  let outputs: Record<string, unknown> = {};

  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const computed = computedOutputs(args);
        // An `id` among the computed outputs is the resource's id; otherwise it stays unknown.
        const id = typeof computed.id === "string" ? computed.id : undefined;
        return { id, state: { ...previewState(args), ...computed } };
      },
      call: (args) => {
        const answer = publishedLookups[args.token]?.(args.inputs);
        if (answer) return answer;
        throw new Error(
          `invoke ${args.token} reached the mocked cloud: the offline plan has no cloud access, so a ` +
            "component must take the value from stack config instead of looking it up",
        );
      },
    },
    project,
    stack,
    true,
  );

  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  monitor.newUrn = (parent, type, name) => engineUrn(stack, project, parent, type, name);
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    registerResource(req, (err, response) => {
      if (!err && response) {
        const resource = recordOf(req, response.getUrn());
        resources.push(resource);
        wire.push(wireOf(req, response.getUrn()));
        onRegister(resource, resources.length);
      }
      callback(err, response);
    });
  const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    const registered = req.getOutputs()?.toJavaScript() ?? {};
    componentOutputs.set(req.getUrn(), registered);
    if (req.getUrn().split("::")[2] === "pulumi:pulumi:Stack") {
      outputs = renderWireValue(registered) as Record<string, unknown>;
    }
    registerResourceOutputs(req, callback);
  };

  return () => {
    const recording = { resources: [...resources].sort((a, b) => a.urn.localeCompare(b.urn)), outputs };
    // Not enumerable: the wire form holds secrets in clear, as the engine hands them to a policy pack,
    // so no JSON.stringify or spread of a recording may ever carry it.
    return Object.defineProperty(recording, "wire", {
      value: { resources: wire, outputs: componentOutputs },
      enumerable: false,
    }) as Recording;
  };
}

/**
 * URNs as the engine builds them: a resource's type is qualified by its parent's qualified type,
 * except under the root stack. (The mock monitor qualifies by the parent's last type only, which
 * gives grandchildren URNs no real deployment would have.)
 */
export function engineUrn(
  stack: string,
  project: string,
  parent: string,
  type: string,
  name: string,
): string {
  const parentType = parent ? (parent.split("::")[2] ?? "") : "";
  const qualified = !parentType || parentType === "pulumi:pulumi:Stack" ? type : `${parentType}$${type}`;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

function wireOf(req: RegisterRequest, urn: string): WireResource {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => {
    propertyDependencies[key] = deps.getUrnsList();
  });
  const timeouts = req.getCustomtimeouts();
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent(),
    custom: req.getCustom(),
    providerRef: req.getProvider(),
    packageVersion: req.getVersion(),
    dependencies: req.getDependenciesList(),
    propertyDependencies,
    properties: req.getObject()?.toJavaScript() ?? {},
    options: {
      protect: req.getProtect() ?? false,
      ignoreChanges: req.getIgnorechangesList(),
      ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
      aliases: [
        ...req.getAliasurnsList(),
        ...req
          .getAliasesList()
          .map((a) => a.getUrn())
          .filter(Boolean),
      ],
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      customTimeouts: {
        create: durationSeconds(timeouts?.getCreate() ?? ""),
        update: durationSeconds(timeouts?.getUpdate() ?? ""),
        delete: durationSeconds(timeouts?.getDelete() ?? ""),
      },
    },
  };
}

function sortedPropertyDependencies(req: RegisterRequest): Record<string, string[]> {
  const byProperty: [string, string[]][] = [];
  req.getPropertydependenciesMap().forEach((deps, key) => {
    const urns = [...new Set(deps.getUrnsList())].sort();
    if (urns.length > 0) byProperty.push([key, urns]);
  });
  return Object.fromEntries(byProperty.sort(([a], [b]) => a.localeCompare(b)));
}

function recordOf(req: RegisterRequest, urn: string): RecordedResource {
  const providerRef = req.getProvider();
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent(),
    custom: req.getCustom(),
    protect: req.getProtect() ?? false,
    provider: providerRef ? providerRef.slice(0, providerRef.lastIndexOf("::")) : "",
    dependencies: [...new Set(req.getDependenciesList())].sort(),
    propertyDependencies: sortedPropertyDependencies(req),
    inputs: renderWireValue(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
  };
}
