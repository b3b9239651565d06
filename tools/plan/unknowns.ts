import type { RecordedResource } from "./recorder";
import { computed } from "./values";

/** How much of a pass's inputs were still unknown when the pack judged them. */
export interface PassSummary {
  /** Input values (leaves) of cloud resources still `<computed>`. */
  readonly unknownInputs: number;
  /** IAM, bucket, key, secret and trust policy documents among them. */
  readonly unknownPolicyDocuments: number;
  /** Each unknown input as `<resource name> (<type>) <path>`, sorted; the resolved pass lists them. */
  readonly unknown?: readonly string[];
}

/** Inputs that hold a policy document, per type; `[]` marks a list of objects with a `policy` each. */
const policyDocumentPaths: Readonly<Record<string, readonly string[]>> = {
  "aws:iam/role:Role": ["assumeRolePolicy", "inlinePolicies[].policy"],
  "aws:iam/policy:Policy": ["policy"],
  "aws:iam/rolePolicy:RolePolicy": ["policy"],
  "aws:iam/userPolicy:UserPolicy": ["policy"],
  "aws:iam/groupPolicy:GroupPolicy": ["policy"],
  "aws:s3/bucketPolicy:BucketPolicy": ["policy"],
  "aws:kms/key:Key": ["policy"],
  "aws:secretsmanager/secretPolicy:SecretPolicy": ["policy"],
  "aws:ecr/repositoryPolicy:RepositoryPolicy": ["policy"],
  "aws:sqs/queuePolicy:QueuePolicy": ["policy"],
  "aws:sns/topicPolicy:TopicPolicy": ["policy"],
};

function* unknownPaths(value: unknown, path: string): Generator<string> {
  if (value === computed) yield path;
  else if (Array.isArray(value)) for (const item of value) yield* unknownPaths(item, `${path}[]`);
  else if (value !== null && typeof value === "object")
    for (const [key, child] of Object.entries(value))
      yield* unknownPaths(child, path ? `${path}.${key}` : key);
}

/** Counts what a pass left unknown among the inputs of its cloud resources. */
export function passSummary(resources: readonly RecordedResource[], listEach: boolean): PassSummary {
  const unknown: string[] = [];
  let documents = 0;
  for (const r of resources) {
    if (!r.custom) continue;
    const paths = [...unknownPaths(r.inputs, "")];
    const documentPaths = policyDocumentPaths[r.type] ?? [];
    documents += paths.filter((p) => documentPaths.includes(p)).length;
    unknown.push(...paths.map((p) => `${r.name} (${r.type}) ${p}`));
  }
  return {
    unknownInputs: unknown.length,
    unknownPolicyDocuments: documents,
    ...(listEach ? { unknown: unknown.sort() } : {}),
  };
}
