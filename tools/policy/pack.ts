import { type ChildProcess, spawn } from "node:child_process";
import { realpathSync } from "node:fs";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { EnforcementLevel, PolicyConfig, PolicyInfo } from "./config";
import type { ProviderView, WireOptions } from "./wire";

/** What a stack tells its policy pack before any resource: as `pulumi preview` tells it. */
export interface StackContext {
  readonly stack: string;
  readonly project: string;
  readonly organization: string;
  /** The stack's config as the CLI serializes it: `ns:key` → string. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
}

/** A resource in the shape of the engine's AnalyzeRequest / AnalyzerResource. */
export interface AnalyzerInput {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly properties: Record<string, unknown>;
  readonly options: WireOptions;
  readonly provider?: ProviderView;
  readonly parent: string;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

export interface Diagnostic {
  readonly policy: string;
  readonly description: string;
  readonly message: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly urn: string;
}

export interface PackInfo {
  readonly name: string;
  readonly version: string;
  readonly policies: PolicyInfo[];
  readonly initialConfig: Map<string, PolicyConfig>;
}

/** The pack failed to start or to answer; the plan reports it as a program error (exit 3). */
export class PolicyPackError extends Error {
  override readonly name = "PolicyPackError";
}

const levels: Record<proto.EnforcementLevel, EnforcementLevel> = {
  [proto.EnforcementLevel.ADVISORY]: "advisory",
  [proto.EnforcementLevel.MANDATORY]: "mandatory",
  [proto.EnforcementLevel.DISABLED]: "disabled",
  [proto.EnforcementLevel.REMEDIATE]: "remediate",
};
const levelCodes = Object.fromEntries(
  Object.entries(levels).map(([code, level]) => [level, Number(code)]),
) as Record<EnforcementLevel, proto.EnforcementLevel>;

/** The gRPC limit the engine and @pulumi/policy agree on (400 MB), so a large stack fits one call. */
const maxMessageBytes = 400 * 1024 * 1024;
const startTimeoutMs = 120_000;

/** The environment the engine gives a Node.js policy pack (plugin/analyzer_plugin.go, constructEnv). */
function packEnvironment(context: StackContext): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const values: Record<string, string> = {
    CONFIG: JSON.stringify(context.config),
    ORGANIZATION: context.organization,
    PROJECT: context.project,
    STACK: context.stack,
    DRY_RUN: "true",
  };
  for (const [key, value] of Object.entries(values)) {
    if (key !== "CONFIG") env[`PULUMI_NODEJS_${key}`] = value;
    env[`PULUMI_${key}`] = value;
  }
  return env;
}

function call<Req, Res>(
  client: AnalyzerClient,
  method: (req: Req, cb: (error: grpc.ServiceError | null, res: Res) => void) => unknown,
  request: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, request, (error, response) =>
      error
        ? reject(new PolicyPackError(`policy pack: ${error.details || error.message}`))
        : resolve(response),
    );
  });
}

function optionsOf(options: WireOptions, parent: string): proto.AnalyzerResourceOptions {
  const timeouts = new proto.AnalyzerResourceOptions.CustomTimeouts()
    .setCreate(options.customTimeouts.create)
    .setUpdate(options.customTimeouts.update)
    .setDelete(options.customTimeouts.delete);
  return new proto.AnalyzerResourceOptions()
    .setProtect(options.protect)
    .setIgnorechangesList(options.ignoreChanges)
    .setDeletebeforereplace(options.deleteBeforeReplace ?? false)
    .setDeletebeforereplacedefined(options.deleteBeforeReplace !== undefined)
    .setAdditionalsecretoutputsList(options.additionalSecretOutputs)
    .setAliasesList(options.aliases)
    .setCustomtimeouts(timeouts)
    .setParent(parent);
}

function providerOf(provider: ProviderView): proto.AnalyzerProviderResource {
  return new proto.AnalyzerProviderResource()
    .setUrn(provider.urn)
    .setType(provider.type)
    .setName(provider.name)
    .setProperties(Struct.fromJavaScript(provider.properties as Record<string, never>));
}

function diagnosticsOf(response: proto.AnalyzeResponse): Diagnostic[] {
  return response.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    description: d.getDescription(),
    message: d.getMessage(),
    enforcementLevel: levels[d.getEnforcementlevel()],
    urn: d.getUrn(),
  }));
}

/**
 * The policy pack, run as the Pulumi CLI runs a Node.js pack: `@pulumi/pulumi/cmd/run-policy-pack`
 * in the pack's directory, with the stack's config in its environment. The pack serves the Analyzer
 * gRPC service on a loopback port it prints; this class is the engine's side of that connection.
 */
export class PolicyPackProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: AnalyzerClient,
  ) {}

  static start(packDir: string, context: StackContext): Promise<PolicyPackProcess> {
    // Node resolves a pack's own modules from its real location, so a symlinked pack does too.
    packDir = realpathSync(packDir);
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    // The first argument is the engine's address; run-policy-pack drops it, as there is no engine here.
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], {
      cwd: packDir,
      env: packEnvironment(context),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr = `${stderr}${chunk}`.slice(-4000);
    });
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        child.kill();
        reject(
          new PolicyPackError(`policy pack in ${packDir} ${why}${stderr ? `:\n${stderr.trimEnd()}` : ""}`),
        );
      };
      const timer = setTimeout(
        () => fail(`printed no port within ${startTimeoutMs / 1000} s`),
        startTimeoutMs,
      );
      child.once("error", (error) => fail(`could not start (${error.message})`));
      child.once("exit", (code) => fail(`exited with code ${code} before serving`));
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      lines.once("line", (line) => {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        const port = Number(line.trim());
        if (!Number.isInteger(port) || port <= 0)
          return fail(`printed ${JSON.stringify(line)} instead of a port`);
        const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
          "grpc.max_receive_message_length": maxMessageBytes,
          "grpc.max_send_message_length": maxMessageBytes,
        });
        resolve(new PolicyPackProcess(child, client));
      });
    });
  }

  /** ConfigureStack: the engine's first call, with the stack's identity and config. */
  async configureStack(context: StackContext): Promise<void> {
    const request = new proto.AnalyzerStackConfigureRequest()
      .setStack(context.stack)
      .setProject(context.project)
      .setOrganization(context.organization)
      .setDryRun(true)
      .setConfigSecretKeysList([...context.secretKeys]);
    for (const [key, value] of Object.entries(context.config)) request.getConfigMap().set(key, value);
    await call<proto.AnalyzerStackConfigureRequest, unknown>(
      this.client,
      this.client.configureStack,
      request,
    );
  }

  async info(): Promise<PackInfo> {
    const info = await call<Empty, proto.AnalyzerInfo>(this.client, this.client.getAnalyzerInfo, new Empty());
    const initialConfig = new Map<string, PolicyConfig>();
    info.getInitialconfigMap().forEach((config, name) => {
      initialConfig.set(name, {
        enforcementLevel: levels[config.getEnforcementlevel()],
        properties: (config.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
      });
    });
    return {
      name: info.getName(),
      version: info.getVersion(),
      policies: info.getPoliciesList().map((p) => {
        const schema = p.getConfigschema();
        return {
          name: p.getName(),
          description: p.getDescription(),
          enforcementLevel: levels[p.getEnforcementlevel()],
          tags: p.getTagsList(),
          ...(schema
            ? {
                configSchema: {
                  properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, object>,
                  required: schema.getRequiredList(),
                },
              }
            : {}),
        };
      }),
      initialConfig,
    };
  }

  async configure(config: ReadonlyMap<string, PolicyConfig>): Promise<void> {
    const request = new proto.ConfigureAnalyzerRequest();
    for (const [name, settings] of config) {
      request
        .getPolicyconfigMap()
        .set(
          name,
          new proto.PolicyConfig()
            .setEnforcementlevel(levelCodes[settings.enforcementLevel ?? "advisory"])
            .setProperties(Struct.fromJavaScript(settings.properties as Record<string, never>)),
        );
    }
    await call<proto.ConfigureAnalyzerRequest, unknown>(this.client, this.client.configure, request);
  }

  async analyze(resource: AnalyzerInput): Promise<Diagnostic[]> {
    const request = new proto.AnalyzeRequest()
      .setUrn(resource.urn)
      .setType(resource.type)
      .setName(resource.name)
      .setProperties(Struct.fromJavaScript(resource.properties as Record<string, never>))
      .setOptions(optionsOf(resource.options, resource.parent));
    if (resource.provider) request.setProvider(providerOf(resource.provider));
    return diagnosticsOf(
      await call<proto.AnalyzeRequest, proto.AnalyzeResponse>(this.client, this.client.analyze, request),
    );
  }

  async analyzeStack(resources: readonly AnalyzerInput[]): Promise<Diagnostic[]> {
    const request = new proto.AnalyzeStackRequest().setResourcesList(
      resources.map((r) => {
        const resource = new proto.AnalyzerResource()
          .setUrn(r.urn)
          .setType(r.type)
          .setName(r.name)
          .setProperties(Struct.fromJavaScript(r.properties as Record<string, never>))
          .setOptions(optionsOf(r.options, r.parent))
          .setParent(r.parent)
          .setDependenciesList([...r.dependencies]);
        if (r.provider) resource.setProvider(providerOf(r.provider));
        for (const [key, urns] of Object.entries(r.propertyDependencies)) {
          if (urns.length > 0) {
            resource
              .getPropertydependenciesMap()
              .set(key, new proto.AnalyzerPropertyDependencies().setUrnsList([...urns]));
          }
        }
        return resource;
      }),
    );
    return diagnosticsOf(
      await call<proto.AnalyzeStackRequest, proto.AnalyzeResponse>(
        this.client,
        this.client.analyzeStack,
        request,
      ),
    );
  }

  /** Stops the pack, as the engine does at the end of a preview. */
  close(): void {
    this.client.close();
    this.child.kill();
  }
}
