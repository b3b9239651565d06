import type { RecordedResource, Recording } from "../../tools/plan/recorder";

/** Resources of one type, in URN order. */
export function ofType(recording: Pick<Recording, "resources">, type: string): RecordedResource[] {
  return recording.resources.filter((r) => r.type === type);
}

/** The single resource of a type and name; fails the test when it is missing or ambiguous. */
export function one(recording: Pick<Recording, "resources">, type: string, name?: string): RecordedResource {
  const found = ofType(recording, type).filter((r) => name === undefined || r.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
  }
  return found[0] as RecordedResource;
}

/** A recorded cloud resource for unit tests: `fixture` of the type unless `more` says otherwise. */
export function fixtureResource(
  type: string,
  inputs: Record<string, unknown>,
  more: Partial<RecordedResource> = {},
): RecordedResource {
  const name = more.name ?? "fixture";
  return {
    urn: `urn:pulumi:test::crest::${type}::${name}`,
    type,
    name,
    parent: "",
    custom: true,
    protect: false,
    provider: "",
    dependencies: [],
    propertyDependencies: {},
    inputs,
    ...more,
  };
}
