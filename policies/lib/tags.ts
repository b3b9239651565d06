import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ResourceView } from "./rule";
import { isObject, type PlainObject, parsedJson, unknown } from "./values";

/**
 * The tags a resource ends up with: the provider's default tags under its own. Default tags never
 * appear in a resource's `tags` input; the engine hands a policy the provider with its inputs, and
 * the SDK sends a provider's object-valued inputs as JSON text. `unknown` when the resource's own
 * tags are not known yet.
 */
export function effectiveTags(resource: ResourceView): PlainObject | typeof unknown {
  const own = resource.props.tags;
  if (own === unknown) return unknown;
  const defaults = parsedJson(resource.provider?.props.defaultTags);
  const defaultTags = isObject(defaults) && isObject(defaults.tags) ? defaults.tags : {};
  return { ...defaultTags, ...(isObject(own) ? own : {}) };
}

let awsSdkRoot: string | undefined;
const taggableByType = new Map<string, boolean>();

/**
 * Whether an AWS resource type takes tags, read from the @pulumi/aws SDK itself: a taggable
 * resource's class passes `tags` through to the engine. A type the SDK does not have is not judged.
 */
export function isTaggable(type: string): boolean {
  const cached = taggableByType.get(type);
  if (cached !== undefined) return cached;
  const [, module, file] = /^aws:([^/]+)\/([^:]+):/.exec(type) ?? [];
  let taggable = false;
  if (module && file) {
    awsSdkRoot ??= dirname(require.resolve("@pulumi/aws/package.json"));
    const path = module === "index" ? join(awsSdkRoot, `${file}.js`) : join(awsSdkRoot, module, `${file}.js`);
    taggable = existsSync(path) && readFileSync(path, "utf8").includes('resourceInputs["tags"]');
  }
  taggableByType.set(type, taggable);
  return taggable;
}
