import { computed } from "../values";

/**
 * Validation of rendered manifests against the Kubernetes OpenAPI schema of the targeted minor,
 * offline: `kubernetes-models` 5.x ships the schema of Kubernetes v1.36.0 (the cluster's default
 * minor, infra/cluster) precompiled into Ajv validators, one per kind.
 *
 * Kubernetes' published schema does not forbid unknown fields (no `additionalProperties: false`),
 * so this checks types, required fields, enums and formats (quantities, int-or-string), not typos in
 * field names — those the TypeScript types of @pulumi/kubernetes already catch at compile time.
 */
export const kubernetesMinor = "1.36";

/**
 * Custom resources whose CRDs ship with the controllers' Helm charts, not with any npm package: only
 * their metadata (standard ObjectMeta) is validated here; their specs are asserted field by field in
 * test/infra/workload.test.ts. Any other apiVersion the schema lacks is an error, so a typo in a core
 * apiVersion cannot slip through as "custom".
 */
const customResourceGroups = new Set(["elbv2.k8s.aws", "secrets-store.csi.x-k8s.io"]);

export interface SchemaVerdict {
  /** `schema`: the whole object was validated; `metadata`: a known custom resource's metadata only. */
  readonly coverage: "schema" | "metadata";
  /** Violations, as `<JSON pointer> <message>`. Empty when the object is valid. */
  readonly errors: string[];
  /**
   * `<computed>` values where the schema wants a non-string (a number, an object…): validated with a
   * placeholder of that type in their place, since the plan cannot know them.
   */
  readonly placeholders: string[];
  /**
   * `<computed>` values in string fields whose format, pattern or enum only the real value can meet:
   * accepted, because the schema does allow a string there.
   */
  readonly unknownStrings: string[];
}

interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: {
    readonly type?: string | string[];
    readonly missingProperty?: string;
    readonly allowedValues?: readonly unknown[];
  };
  readonly message?: string;
}

type Validator = (object: unknown) => AjvError[];

const stringOnlyKeywords = new Set(["format", "pattern", "enum"]);
const placeholderOf: Record<string, unknown> = {
  integer: 0,
  number: 0,
  boolean: false,
  object: {},
  array: [],
};

/** Ajv's message, with the allowed values of an enum spelled out (Ajv only says "one of the allowed values"). */
function describeError(error: AjvError): string {
  const message = error.message ?? error.keyword;
  const allowed = error.params.allowedValues;
  return allowed ? `${message}: ${allowed.map((v) => JSON.stringify(v)).join(", ")}` : message;
}

/** The model class of an apiVersion and kind, as `kubernetes-models/<group>/<version>/<Kind>` exports it. */
async function modelValidator(apiVersion: string, kind: string): Promise<Validator | undefined> {
  let module: Record<string, unknown>;
  try {
    module = await import(`kubernetes-models/${apiVersion}/${kind}`);
  } catch {
    return undefined;
  }
  const Model = module[kind] as (new (data: unknown) => { validate(): void }) | undefined;
  if (!Model) return undefined;
  return (object) => {
    try {
      new Model(object).validate();
      return [];
    } catch (error) {
      const errors = (error as { errors?: AjvError[] }).errors;
      if (!errors) throw error;
      return errors;
    }
  };
}

function pointerSegments(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** The value at a JSON pointer of an object (undefined when the path does not exist). */
export function valueAt(object: unknown, pointer: string): unknown {
  let current = object;
  for (const key of pointerSegments(pointer))
    current = (current as Record<string, unknown> | undefined)?.[key];
  return current;
}

function replaceAt(object: unknown, pointer: string, value: unknown): void {
  const path = pointerSegments(pointer);
  const last = path.pop();
  let parent = object;
  for (const key of path) parent = (parent as Record<string, unknown>)[key];
  (parent as Record<string, unknown>)[last as string] = value;
}

/**
 * Validates one object. A `patch` (a `*Patch` resource) is a partial object by design: missing
 * required fields are not errors there.
 */
export async function validateManifest(
  object: Record<string, unknown>,
  patch = false,
): Promise<SchemaVerdict> {
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const custom = customResourceGroups.has(group);
  const validate = custom ? await modelValidator("v1", "ConfigMap") : await modelValidator(apiVersion, kind);
  if (!validate) {
    return {
      coverage: "schema",
      errors: [
        `${apiVersion} ${kind} is not in the Kubernetes ${kubernetesMinor} schema nor a known custom resource`,
      ],
      placeholders: [],
      unknownStrings: [],
    };
  }
  // A custom resource's metadata is checked as the metadata of an object the package does know.
  const candidate = structuredClone(
    custom ? { apiVersion: "v1", kind: "ConfigMap", metadata: object.metadata } : object,
  );
  const placeholders: string[] = [];
  const unknownStrings = new Set<string>();
  for (;;) {
    const errors: string[] = [];
    let substituted = false;
    for (const error of validate(candidate)) {
      const atComputed = valueAt(candidate, error.instancePath) === computed;
      const wanted = [error.params.type ?? []].flat().find((t) => t in placeholderOf);
      if (atComputed && error.keyword === "type" && wanted) {
        replaceAt(candidate, error.instancePath, structuredClone(placeholderOf[wanted]));
        placeholders.push(`${error.instancePath} (${wanted})`);
        substituted = true;
      } else if (atComputed && stringOnlyKeywords.has(error.keyword)) {
        unknownStrings.add(error.instancePath);
      } else if (!(patch && error.keyword === "required")) {
        errors.push(`${error.instancePath || "/"} ${describeError(error)}`);
      }
    }
    if (!substituted) {
      return {
        coverage: custom ? "metadata" : "schema",
        errors,
        placeholders,
        unknownStrings: [...unknownStrings],
      };
    }
  }
}
