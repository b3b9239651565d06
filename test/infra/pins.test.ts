import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import ts from "typescript";
import { externalPins, helmCharts, instanceTypes, kubernetesVersions } from "../../infra/lib/pins";
import { tierDefaults } from "../../stacks/config/tiers";
import { repoRoot } from "../support/cli";

/**
 * Shapes of the values the pin register owns. A string literal in infra/ or stacks/ that matches
 * one is a pin outside the register: it has no recorded source and escapes the README table.
 */
const externalValuePatterns: readonly (readonly [string, RegExp])[] = [
  [
    "instance, node or broker type",
    /\b(?:(?:db|cache|kafka|express)\.)?[a-z]{1,3}\d+[a-z]*\.(?:nano|micro|small|medium|large|\d*xlarge|metal)\b/,
  ],
  ["Aurora MySQL engine version", /\d+\.\d+\.mysql_aurora\b|\baurora-mysql\d/],
  ["Valkey or Redis engine family", /\b(?:valkey|redis)\d/],
  ["MSK Kafka version", /\b\d+\.\d+\.x\b|\.kraft\b/],
  ["Kubernetes minor or engine major.minor version", /^[1-9]\d*\.\d+$/],
  ["container image or chart version tag", /^v?\d+\.\d+\.\d+$/],
  ["ALB SSL policy", /\bELBSecurityPolicy-/],
  ["TLS protocol or CloudFront security policy", /\bTLSv1/],
  ["WAF managed rule group", /\bAWSManagedRules/],
  ["EKS AMI type", /\b(?:AL2023_|AL2_|BOTTLEROCKET_|WINDOWS_)/],
  ["Helm repository", /\.github\.io\//],
];

/** The string literals of a TypeScript source (template pieces included), comments excluded. */
function stringLiterals(fileName: string, text: string): { text: string; line: number }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: { text: string; line: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
      found.push({ text: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every literal in `text` that looks like a value the register owns. */
function externalLiterals(fileName: string, text: string): string[] {
  return stringLiterals(fileName, text).flatMap(({ text: literal, line }) =>
    externalValuePatterns
      .filter(([, pattern]) => pattern.test(literal))
      .map(([what]) => `${fileName}:${line}: ${JSON.stringify(literal)} (${what})`),
  );
}

const registerPath = join("infra", "lib", "pins.ts");

function sourcesUnder(folder: string): string[] {
  return readdirSync(join(repoRoot, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)));
}

test("the scanner catches each kind of external literal put back into code", () => {
  const samples = [
    'const instanceClass = "db.r7g.large";',
    "const nodes = ['m7g.xlarge'];",
    'const brokers = { instanceType: "kafka.t3.small" };',
    "const node = `cache.t4g.small`;",
    'const engineVersion = "8.0.mysql_aurora.3.10.3";',
    'const family = "aurora-mysql8.0";',
    'const family = "valkey8";',
    'const engineVersion = "8.2";',
    'const kafkaVersion = "3.9.x.kraft";',
    'const kubernetesVersion = "1.36";',
    'const chart = { version: "3.13.1" };',
    'const tag = "v1.36.1";',
    'const sslPolicy = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";',
    'const minimumProtocolVersion = "TLSv1.2_2021";',
    'const group = "AWSManagedRulesCommonRuleSet";',
    'const amiType = "AL2023_ARM_64_STANDARD";',
    'const other = "BOTTLEROCKET_ARM_64";',
    'const repo = "https://aws.github.io/eks-charts";',
  ];
  for (const sample of samples) {
    assert.equal(externalLiterals("sample.ts", sample).length, 1, `not caught: ${sample}`);
  }
});

test("the scanner reads string literals only: comments, identifiers and other strings pass", () => {
  const clean = [
    '// the default was "db.r7g.large" once',
    '/** @default "kafka.m7g.large" */ const x = 1;',
    "const principal = 'kafka.amazonaws.com';",
    'const port = "9096";',
    'const seconds = "0.5";',
    "const key = instanceTypes.kafka.prod.value;",
    'const policy = { "aws:SecureTransport": "false", "s3:TlsVersion": 1.2 };',
    'const url = "https://docs.aws.amazon.com/msk/latest/developerguide/kraft-intro.html";',
    'const path = "/crest/kafka/broker-logs";',
  ];
  for (const sample of clean) assert.deepEqual(externalLiterals("sample.ts", sample), [], sample);
});

test("no value the register owns is written anywhere else in infra/ or stacks/", () => {
  const files = [...sourcesUnder("infra"), ...sourcesUnder("stacks")].filter((f) => f !== registerPath);
  assert.ok(files.length > 20, `scanned only ${files.length} files`);
  const found = files.flatMap((file) => externalLiterals(file, readFileSync(join(repoRoot, file), "utf8")));
  assert.deepEqual(found, [], "move these values into infra/lib/pins.ts with their source");
});

test("the register itself holds the values the scanner looks for", () => {
  const found = externalLiterals(registerPath, readFileSync(join(repoRoot, registerPath), "utf8"));
  assert.ok(
    found.length >= 20,
    `only ${found.length} pins found in the register: is the scanner still looking?`,
  );
});

test("every pin names an https source and a check date no later than today", () => {
  const today = new Date().toISOString().slice(0, 10);
  const rows = externalPins();
  assert.ok(rows.length >= 25);
  for (const row of rows) {
    assert.match(row.source, /^https:\/\/[a-z0-9.-]+\//, row.name);
    assert.match(row.checkedOn, /^\d{4}-\d{2}-\d{2}$/, row.name);
    assert.ok(row.checkedOn <= today, `${row.name} checked in the future: ${row.checkedOn}`);
    assert.notEqual(row.value, "", row.name);
  }
});

test("each chart's source is the index of the repository Helm installs it from", () => {
  for (const chart of Object.values(helmCharts)) {
    assert.equal(chart.source, `${chart.repo.replace(/\/$/, "")}/index.yaml`, chart.chart);
    assert.match(chart.version, /^\d+\.\d+\.\d+$/, chart.chart);
  }
});

test("tier defaults are the register's types and Kubernetes minor", () => {
  for (const tier of ["dev", "prod"] as const) {
    const d = tierDefaults[tier];
    assert.equal(d.mysql.instanceClass, instanceTypes.mysql[tier].value);
    assert.equal(d.redis.nodeType, instanceTypes.redis[tier].value);
    assert.equal(d.kafka.instanceType, instanceTypes.kafka[tier].value);
    assert.deepEqual(d.cluster.nodeInstanceTypes, instanceTypes.nodes[tier].value);
    assert.ok(Object.hasOwn(kubernetesVersions, d.cluster.kubernetesVersion));
  }
});
