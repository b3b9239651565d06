import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { z } from "zod";
import { externalPins } from "../../infra/lib/pins";
import { rules } from "../../policies/rules";
import { componentSettingsSchemas, configKeyPaths, stackConfigSchema } from "../../stacks/config/schema";
import { typeOf, withConfigReference } from "../../tools/docs/configReference";
import { withExternalVersions } from "../../tools/docs/externalVersions";
import { withPolicyReference } from "../../tools/docs/policyReference";
import { repoRoot } from "../support/cli";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");

test("the README's config reference is the one generated from stacks/config", () => {
  assert.equal(readme, withConfigReference(readme), "stale: run `npm run docs`");
});

test("the README's external versions table is the one generated from the pin register", () => {
  assert.equal(readme, withExternalVersions(readme), "stale: run `npm run docs`");
  for (const pin of externalPins())
    assert.ok(readme.includes(`| \`${pin.value}\` | <${pin.source}> |`), pin.name);
});

test("the README's policy rule table is the one generated from policies/rules, with every rule", () => {
  assert.equal(readme, withPolicyReference(readme), "stale: run `npm run docs`");
  for (const rule of rules) assert.ok(readme.includes(`| \`${rule.id}\` |`), rule.id);
});

test("the config reference documents every key of the schema", () => {
  for (const path of configKeyPaths()) assert.ok(readme.includes(`| \`crest:${path}\` |`), path);
});

test("the README's two set-up commands are the ones CI runs", () => {
  const ci = readFileSync(join(repoRoot, ".ci/run"), "utf8");
  assert.match(readme, /^npm run plan -- --stack dev /m);
  assert.match(readme, /^npm test /m);
  assert.match(ci, /^npm test$/m);
  assert.match(ci, /^npm run plan -- --stack dev/m);
});

type JsonField = Record<string, unknown> & { properties?: Record<string, JsonField> };

/**
 * A field as the reference reads it: type, limits, description. Left out: the component's baseline
 * default (the tier's apply) and what only says config maps are strict and partial.
 */
function comparable(field: JsonField): JsonField {
  const {
    default: _default,
    required: _required,
    additionalProperties: _strict,
    $schema: _s,
    ...rest
  } = field;
  if (!rest.properties) return rest;
  return {
    ...rest,
    properties: Object.fromEntries(Object.entries(rest.properties).map(([k, v]) => [k, comparable(v)])),
  };
}

/** Each leaf key under `path` with its field, e.g. `cluster.nodesPerAz.min`. */
function leaves(path: string, field: JsonField): [string, JsonField][] {
  return field.properties
    ? Object.entries(field.properties).flatMap(([key, child]) => leaves(`${path}.${key}`, child))
    : [[path, field]];
}

/** The field at a nested path of a JSON schema. */
function leafAt(field: JsonField, path: readonly string[]): JsonField | undefined {
  return path.reduce<JsonField | undefined>((node, key) => node?.properties?.[key], field);
}

/** `field` without the nested keys `other` lacks, so a picked map compares with its source. */
function fieldsOnly(field: JsonField, other: JsonField): JsonField {
  if (!field.properties || !other.properties) return field;
  const keys = Object.keys(field.properties).filter((k) => other.properties && k in other.properties);
  return {
    ...field,
    properties: Object.fromEntries(
      keys.map((k) => [k, fieldsOnly(field.properties?.[k] ?? {}, other.properties?.[k] ?? {})]),
    ),
  };
}

test("each config key picked from a component schema has its type, limits and description, and the README shows them", () => {
  const config = z.toJSONSchema(stackConfigSchema, { io: "input" }) as JsonField;
  let checked = 0;
  for (const [section, component] of Object.entries(componentSettingsSchemas)) {
    const picked = config.properties?.[section]?.properties ?? {};
    assert.ok(Object.keys(picked).length > 0, section);
    // A section may add keys of its own beside the picked ones (kafka's topic partitions).
    const pickedFromComponent = Object.entries(picked).filter(([key]) => Object.hasOwn(component.shape, key));
    assert.ok(pickedFromComponent.length > 0, section);
    for (const [key, field] of pickedFromComponent) {
      const source = comparable(
        z.toJSONSchema(component.shape[key as keyof typeof component.shape] as z.ZodType, {
          io: "input",
        }) as JsonField,
      );
      // A nested map may pick some of the component's keys (the workload's HPA targets stay its own).
      assert.deepEqual(
        fieldsOnly(comparable(field), source),
        fieldsOnly(source, comparable(field)),
        `crest:${section}.${key}`,
      );
      for (const [path, leaf] of leaves(`${section}.${key}`, comparable(field))) {
        assert.deepEqual(
          leaf,
          leafAt(source, path.split(".").slice(2)),
          `crest:${path} as the component declares it`,
        );
        const row = readme.split("\n").find((line) => line.startsWith(`| \`crest:${path}\` |`));
        assert.ok(row?.includes(`| ${typeOf(leaf)} |`), `type and limits of crest:${path}`);
        assert.ok(row?.includes(String(leaf.description)), `description of crest:${path}`);
        checked++;
      }
    }
  }
  assert.ok(checked >= 30, `${checked} keys checked`);
});

test("every config key is a component schema's field, but the few the stack itself owns", () => {
  const stackOwned = new Set([
    "tier",
    "region",
    "accountId",
    "owner",
    "costCenter",
    // Sections, and the keys a section adds beside its component's: the AZ list and DR region are
    // placement the platform decides; the two topics' partitions take the Kafka topic schema's field.
    ...Object.keys(componentSettingsSchemas),
    "network.availabilityZones",
    "storage.drRegion",
    "kafka.ordersPartitions",
    "kafka.deadLetterPartitions",
  ]);
  const components = Object.fromEntries(
    Object.entries(componentSettingsSchemas).map(([section, schema]) => [
      section,
      z.toJSONSchema(schema, { io: "input" }) as JsonField,
    ]),
  );
  const orphans = configKeyPaths().filter((path) => {
    if (stackOwned.has(path)) return false;
    const [section = "", ...rest] = path.split(".");
    const source = components[section];
    return !source || leafAt(source, rest) === undefined;
  });
  assert.deepEqual(orphans, []);
});
