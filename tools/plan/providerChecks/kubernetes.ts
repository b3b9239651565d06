import { readFileSync } from "node:fs";
import { isKubernetesObject } from "../manifests";
import type { RecordedResource } from "../recorder";
import { kubernetesMinor, validateManifest, valueAt } from "./kubernetesSchema";
import type { Finding, ProviderRule } from "./types";

const modelsVersion = (
  JSON.parse(readFileSync(require.resolve("kubernetes-models/package.json"), "utf8")) as { version: string }
).version;

/**
 * Every Kubernetes object against the OpenAPI schema of its kind: enums (Service type,
 * imagePullPolicy, restartPolicy, HPA target types, PDB eviction policy, NetworkPolicy
 * policyTypes…), required fields and types, as the API server would validate them.
 */
export const kubernetesSchema: ProviderRule = {
  id: "kubernetes-openapi-schema",
  source: `kubernetes-models ${modelsVersion} (Kubernetes ${kubernetesMinor} OpenAPI schema)`,
  types: "*",
  async check(resource: RecordedResource): Promise<Finding[]> {
    if (!isKubernetesObject(resource)) return [];
    const verdict = await validateManifest(resource.inputs, resource.type.endsWith("Patch"));
    return verdict.errors.map((error) => {
      if (!error.startsWith("/"))
        return { path: "apiVersion", value: resource.inputs.apiVersion, allowed: error };
      const space = error.indexOf(" ");
      const pointer = error.slice(0, space);
      return {
        path: pointer === "/" ? "(object)" : pointer.slice(1).replaceAll("/", "."),
        value: pointer === "/" ? undefined : valueAt(resource.inputs, pointer),
        allowed: `what the schema allows (${error.slice(space + 1)})`,
      };
    });
  },
};
