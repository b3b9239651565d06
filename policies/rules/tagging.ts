import { type Rule, resourceRule } from "../lib/rule";
import { effectiveTags, isTaggable } from "../lib/tags";
import { unknown } from "../lib/values";

/** Custom AWS resources that take tags; providers and components carry none. */
const taggableAws = (type: string) => type.startsWith("aws:") && isTaggable(type);

export const requiredTags = resourceRule<{ tags: string[] }>({
  id: "tagging-required-tags",
  family: "tagging",
  concern: "tagging",
  description:
    "Every taggable AWS resource carries the owner, environment and cost-center tags, for cost reports and " +
    "incident routing. Fix: create the resource with a provider whose defaultTags hold them (stacks/platform.ts " +
    "standardTags), or set the missing tags on the resource.",
  types: taggableAws,
  config: {
    schema: {
      tags: {
        type: "array",
        items: { type: "string", minLength: 1 },
        minItems: 1,
        description: "Required tag keys.",
      },
    },
    defaults: () => ({ tags: ["owner", "environment", "cost-center"] }),
  },
  check: (resource, config, report) => {
    const tags = effectiveTags(resource);
    if (tags === unknown) return;
    const missing = config.tags.filter(
      (key) => tags[key] === undefined || tags[key] === null || tags[key] === "",
    );
    if (missing.length > 0) {
      const via = resource.provider ? `provider ${resource.provider.name}` : "the default provider";
      report(`missing ${missing.join(", ")} (neither its tags nor ${via}'s defaultTags set them)`);
    }
  },
});

export const environmentTagMatchesStack = resourceRule<{ environment: string }>({
  id: "tagging-environment-matches-stack",
  family: "tagging",
  concern: "tagging",
  description:
    "The environment tag names the stack the resource belongs to, so a copied stack file or provider does not " +
    "bill one environment's resources to another. Fix: derive the tag from the stack (pulumi.getStack()), " +
    "as standardTags does.",
  types: taggableAws,
  config: {
    schema: { environment: { type: "string", minLength: 1, description: "Expected environment tag value." } },
    defaults: ({ stack }) => ({ environment: stack }),
  },
  check: (resource, config, report) => {
    const tags = effectiveTags(resource);
    if (tags === unknown) return;
    const value = tags.environment;
    if (typeof value === "string" && value !== config.environment) {
      report(`environment tag is "${value}", not "${config.environment}"`);
    }
  },
});

export const taggingRules: Rule[] = [requiredTags, environmentTagMatchesStack];
