/**
 * Derives the replace-forcing properties of every AWS resource type Crest uses from the Terraform AWS
 * provider's source, which the Pulumi AWS provider bridges: SDKv2 attributes marked `ForceNew: true`
 * and framework attributes with a `RequiresReplace` plan modifier, by their path in the schema.
 *
 *   node --import tsx tools/plan/replacement/derive.ts <provider source dir> <version> <plan.json>... \
 *     > tools/plan/replacement/forceNew.json
 *
 * The source is the Go module zip of github.com/hashicorp/terraform-provider-aws (from the Go module proxy).
 * It reads the schema as text (the file holding the resource's `@SDKResource`/`@FrameworkResource`
 * annotation), so a schema built in another file is missed: such types are listed under `unparsed`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const [sourceDir, version, ...plans] = process.argv.slice(2);
if (!sourceDir || !version || plans.length === 0) {
  process.stderr.write("usage: derive.ts <terraform-provider-aws source dir> <version> <plan.json>...\n");
  process.exit(2);
}

function goFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return goFiles(path);
    return entry.endsWith(".go") && !entry.endsWith("_test.go") ? [path] : [];
  });
}

const attrNames = new Map(
  [
    ...readFileSync(join(sourceDir, "names/attr_consts_gen.go"), "utf8").matchAll(
      /^\s*(Attr\w+)\s*=\s*"([^"]+)"/gm,
    ),
  ].map((m) => [`names.${m[1]}`, m[2] as string]),
);

const fileOf = new Map<string, string>();
for (const file of goFiles(join(sourceDir, "internal/service"))) {
  for (const m of readFileSync(file, "utf8").matchAll(/@(?:SDK|Framework)Resource\("(aws_\w+)"/g))
    fileOf.set(m[1] as string, file);
}

const keyLine = /^\s*("([\w-]+)"|names\.Attr\w+):\s*(?:schema\.\w+)?\{/;

/**
 * Schema paths (snake_case, dot-separated) marked to force a new resource. A marked block (one with
 * attributes of its own) forces it only when the block is added or removed: inside it, each
 * attribute's own mark decides, as the SDK diffs nested attributes one by one.
 */
function forceNewPaths(file: string): { properties: string[]; blocks: string[] } {
  const found = new Set<string>();
  const seen = new Set<string>();
  const stack: { key: string; depth: number }[] = [];
  let depth = 0;
  let stateUpgrade = false;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    // Schemas of earlier state versions (kept to upgrade old state) say nothing about a change now.
    if (line.startsWith("func ")) stateUpgrade = /[Ll]egacy|SchemaV\d|V\d\(|[Uu]pgrade/.test(line);
    if (stateUpgrade) continue;
    const key = keyLine.exec(line);
    if (key) {
      stack.push({ key: key[2] ?? attrNames.get(key[1] as string) ?? (key[1] as string), depth: depth + 1 });
      seen.add(stack.map((s) => s.key).join("."));
    }
    if (/ForceNew:\s*true|RequiresReplace(If\w*)?\(/.test(line) && stack.length > 0)
      found.add(stack.map((s) => s.key).join("."));
    for (const ch of line) {
      if (ch === "{") depth++;
      else if (ch === "}") {
        depth--;
        while (stack.length > 0 && (stack.at(-1)?.depth ?? 0) > depth) stack.pop();
      }
    }
  }
  const isBlock = (path: string) => [...seen].some((k) => k.startsWith(`${path}.`));
  const sorted = [...found].sort();
  return { properties: sorted.filter((p) => !isBlock(p)), blocks: sorted.filter(isBlock) };
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Where the Pulumi name does not follow from the Terraform one. */
const terraformNames: Record<string, string> = {
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "aws_iam_openid_connect_provider",
  "aws:rds/subnetGroup:SubnetGroup": "aws_db_subnet_group",
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "aws_s3_bucket_replication_configuration",
};

/** `aws:rds/cluster:Cluster` → `aws_rds_cluster`, `aws:ec2/vpc:Vpc` → `aws_vpc`, `aws:lb/loadBalancer:LoadBalancer` → `aws_lb`. */
function terraformName(type: string): string | undefined {
  const [, module = "", resource = ""] = /^aws:([^/]+)\/([^:]+):/.exec(type) ?? [];
  if (terraformNames[type]) return terraformNames[type];
  const res = snake(resource);
  const candidates = [
    `aws_${module}_${res}`,
    `aws_${res}`,
    `aws_${module}`,
    `aws_${module}_${res.replace(/^load_balancer$/, "")}`,
  ];
  return candidates.find((c) => fileOf.has(c));
}

const types = new Set<string>();
for (const plan of plans) {
  for (const r of JSON.parse(readFileSync(plan, "utf8")).resources as { type: string; custom: boolean }[])
    if (r.custom && r.type.startsWith("aws:")) types.add(r.type);
}
const table: Record<string, { terraform: string; file: string; properties: string[]; blocks: string[] }> = {};
const unparsed: string[] = [];
for (const type of [...types].sort()) {
  const tf = terraformName(type);
  const file = tf && fileOf.get(tf);
  if (!tf || !file) {
    unparsed.push(type);
    continue;
  }
  const { properties, blocks } = forceNewPaths(file);
  const pulumiPath = (p: string) => p.split(".").map(camel).join(".");
  table[type] = {
    terraform: tf,
    file: file.slice(sourceDir.length + 1),
    properties: properties.map(pulumiPath),
    blocks: blocks.map(pulumiPath),
  };
}
process.stdout.write(
  `${JSON.stringify({ source: "github.com/hashicorp/terraform-provider-aws", version, types: table, unparsed }, null, 2)}\n`,
);
