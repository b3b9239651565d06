import * as pulumi from "@pulumi/pulumi";
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
  readonly inputs: Record<string, unknown>;
}

/**
 * Outputs a test wants known although a preview would leave them unknown, e.g. a generated
 * password, to prove it is still rendered as a secret. The plan itself never sets any.
 */
export type ComputedOutputs = (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown>;

export interface Recording {
  readonly resources: RecordedResource[];
  readonly outputs: Record<string, unknown>;
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
  getProtect(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getObject(): WireStruct | undefined;
}

type Callback = (err: unknown, response: { getUrn(): string } | undefined) => void;

interface MonitorLike {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(req: { getUrn(): string; getOutputs(): WireStruct | undefined }, cb: unknown): void;
}

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
  let outputs: Record<string, unknown> = {};

  pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: undefined, state: { ...args.inputs, ...computedOutputs(args) } }),
      call: (args) => {
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
        onRegister(resource, resources.length);
      }
      callback(err, response);
    });
  const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    if (req.getUrn().split("::")[2] === "pulumi:pulumi:Stack") {
      outputs = renderWireValue(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
    }
    registerResourceOutputs(req, callback);
  };

  return () => ({ resources: [...resources].sort((a, b) => a.urn.localeCompare(b.urn)), outputs });
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

function recordOf(req: RegisterRequest, urn: string): RecordedResource {
  const providerRef = req.getProvider();
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent(),
    custom: req.getCustom(),
    protect: req.getProtect(),
    provider: providerRef ? providerRef.slice(0, providerRef.lastIndexOf("::")) : "",
    dependencies: [...new Set(req.getDependenciesList())].sort(),
    inputs: renderWireValue(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
  };
}
