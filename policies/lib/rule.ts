import type {
  EnforcementLevel,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { type PlainObject, plain } from "./values";

export const tiers = ["dev", "prod"] as const;
export type Tier = (typeof tiers)[number];

export const concerns = ["security", "reliability", "kubernetes", "cost", "tagging"] as const;
export type Concern = (typeof concerns)[number];

/** The control families coverage is counted by (`plan --json` policy.coverage, the README table). */
export const families = [
  "IAM",
  "KMS",
  "S3",
  "data stores",
  "network",
  "edge",
  "Kubernetes",
  "supply chain",
  "tagging",
  "cost",
] as const;
export type Family = (typeof families)[number];

export type Level = Exclude<EnforcementLevel, "remediate">;

/** What the pack knows about the stack it reviews: its name and tier (from `crest:tier`). */
export interface PackContext {
  readonly stack: string;
  readonly tier: Tier;
}

/** The provider a resource is managed by, with the provider's own inputs. */
export interface ProviderView {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: PlainObject;
}

/** One resource as a rule reads it: properties copied out of the engine's proxy, unknowns marked. */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: PlainObject;
  readonly provider?: ProviderView;
  readonly protect: boolean;
}

/** A resource in a stack rule: also where it sits in the graph, as URNs. */
export interface StackResourceView extends ResourceView {
  readonly parent?: string;
  readonly dependencies: readonly string[];
  /** Input property name → URNs of the resources that property's value came from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

interface RuleBase<C extends object> {
  /** `<concern>-<what>`: the policy name the engine reports and stack config refers to. */
  readonly id: string;
  readonly concern: Concern;
  /** The control family the rule belongs to. */
  readonly family: Family;
  /**
   * Published controls the rule implements, cited in its description: AWS Foundational Security
   * Best Practices (`FSBP IAM.1`), CIS AWS Foundations, Checkov (`CKV_AWS_62`), cdk-nag. @default []
   */
  readonly controls?: readonly string[];
  /** What the rule requires and how to fix a violation; printed beside every finding. */
  readonly description: string;
  /** Default enforcement per tier. @default { dev: "advisory", prod: "mandatory" } */
  readonly levels?: Readonly<Partial<Record<Tier, Level>>>;
  /** Thresholds a stack may choose, as JSON Schema, with defaults per stack. */
  readonly config?: {
    readonly schema: { readonly [K in keyof C]: PolicyConfigJSONSchema };
    readonly defaults: (context: PackContext) => C;
  };
}

export interface ResourceRuleSpec<C extends object> extends RuleBase<C> {
  /** Resource types the rule reads, or a test on the type token. */
  readonly types: readonly string[] | ((type: string) => boolean);
  readonly check: (resource: ResourceView, config: C, report: (finding: string) => void) => void;
}

export interface StackRuleSpec<C extends object> extends RuleBase<C> {
  readonly check: (
    stack: StackView,
    config: C,
    report: (finding: string, urn: string) => void,
    context: PackContext,
  ) => void;
}

/** A rule of the pack, ready to become a CrossGuard policy for one stack. */
export interface Rule {
  readonly id: string;
  readonly concern: Concern;
  readonly family: Family;
  readonly controls: readonly string[];
  readonly description: string;
  readonly kind: "resource" | "stack";
  levelFor(tier: Tier): Level;
  toPolicy(context: PackContext): ResourceValidationPolicy | StackValidationPolicy;
}

const defaultLevels: Record<Tier, Level> = { dev: "advisory", prod: "mandatory" };

const reasonSchema: PolicyConfigJSONSchema = {
  type: "string",
  minLength: 1,
  description: "Why this stack sets the rule differently; the offline plan requires it on every entry.",
};

/** Tags a policy carries over the wire, so the plan counts coverage from what the pack says. */
export const tagPrefixes = { family: "family:", control: "control:" } as const;

function common<C extends object>(spec: RuleBase<C>, kind: Rule["kind"]) {
  const controls = spec.controls ?? [];
  const description =
    controls.length > 0 ? `${spec.description} Controls: ${controls.join(", ")}.` : spec.description;
  const levelFor = (tier: Tier): Level => spec.levels?.[tier] ?? defaultLevels[tier];
  const settings = (context: PackContext) => {
    const defaults = spec.config?.defaults(context) ?? ({} as C);
    const properties: Record<string, PolicyConfigJSONSchema> = { reason: reasonSchema };
    for (const [key, schema] of Object.entries(spec.config?.schema ?? {}) as [
      string,
      PolicyConfigJSONSchema,
    ][]) {
      properties[key] = { ...schema, default: (defaults as Record<string, never>)[key] };
    }
    const configOf = (getConfig: () => object): C => ({ ...defaults, ...getConfig() }) as C;
    return {
      policy: {
        name: spec.id,
        description,
        enforcementLevel: levelFor(context.tier),
        tags: [
          spec.concern,
          `${tagPrefixes.family}${spec.family}`,
          ...controls.map((c) => `${tagPrefixes.control}${c}`),
        ],
        configSchema: { properties },
      },
      configOf,
    };
  };
  return {
    id: spec.id,
    concern: spec.concern,
    family: spec.family,
    controls,
    description,
    kind,
    levelFor,
    settings,
  };
}

function resourceView(
  args: Pick<ResourceValidationArgs, "type" | "name" | "urn" | "props" | "provider" | "opts">,
) {
  const provider = args.provider;
  return {
    type: args.type,
    name: args.name,
    urn: args.urn,
    props: plain(args.props) as PlainObject,
    protect: args.opts.protect,
    ...(provider
      ? {
          provider: {
            type: provider.type,
            name: provider.name,
            urn: provider.urn,
            props: plain(provider.props) as PlainObject,
          },
        }
      : {}),
  };
}

/** A rule that reads one resource at a time (the engine's Analyze). */
export function resourceRule<C extends object = Record<string, never>>(spec: ResourceRuleSpec<C>): Rule {
  const base = common(spec, "resource");
  const types = spec.types;
  const applies = typeof types === "function" ? types : (type: string) => types.includes(type);
  return {
    ...base,
    toPolicy(context) {
      const { policy, configOf } = base.settings(context);
      const validate = (args: ResourceValidationArgs, reportViolation: (message: string) => void) => {
        if (!applies(args.type)) return args.notApplicable(`${spec.id} does not read ${args.type}`);
        spec.check(
          resourceView(args),
          configOf(() => args.getConfig()),
          reportViolation,
        );
      };
      // A single type lets the engine's server skip other resources before deserializing them.
      if (Array.isArray(spec.types) && spec.types.length === 1) {
        Object.assign(validate, { __pulumiType: spec.types[0] });
      }
      return { ...policy, validateResource: validate };
    },
  };
}

/** A rule over the whole stack (the engine's AnalyzeStack), for facts no single resource holds. */
export function stackRule<C extends object = Record<string, never>>(spec: StackRuleSpec<C>): Rule {
  const base = common(spec, "stack");
  return {
    ...base,
    toPolicy(context) {
      const { policy, configOf } = base.settings(context);
      return {
        ...policy,
        validateStack: (args, reportViolation) =>
          spec.check(
            new StackView(args.resources),
            configOf(() => args.getConfig()),
            (finding, urn) => reportViolation(finding, urn),
            context,
          ),
      };
    },
  };
}

/** The stack's resources, converted lazily: most stack rules read a few types only. */
export class StackView {
  private readonly byUrn = new Map<string, PolicyResource>();
  private readonly views = new Map<string, StackResourceView>();

  constructor(private readonly resources: readonly PolicyResource[]) {
    for (const r of resources) this.byUrn.set(r.urn, r);
  }

  /** Every resource of the stack, for a rule that totals over all of them (the cost budget). */
  all(): StackResourceView[] {
    return this.resources.map((r) => this.view(r));
  }

  ofType(...types: string[]): StackResourceView[] {
    return this.resources.filter((r) => types.includes(r.type)).map((r) => this.view(r));
  }

  get(urn: string): StackResourceView | undefined {
    const resource = this.byUrn.get(urn);
    return resource && this.view(resource);
  }

  /** Resources of `types` whose `property` was computed from `target` (e.g. a bucket's policy). */
  referencing(target: { urn: string }, property: string, ...types: string[]): StackResourceView[] {
    return this.ofType(...types).filter((r) => r.propertyDependencies[property]?.includes(target.urn));
  }

  /** The resources `resource.property` was computed from, e.g. a NAT gateway's subnet. */
  referencedBy(resource: StackResourceView, property: string): StackResourceView[] {
    return (resource.propertyDependencies[property] ?? [])
      .map((urn) => this.get(urn))
      .filter((r): r is StackResourceView => r !== undefined);
  }

  private view(r: PolicyResource): StackResourceView {
    let view = this.views.get(r.urn);
    if (!view) {
      view = {
        ...resourceView(r),
        ...(r.parent ? { parent: r.parent.urn } : {}),
        dependencies: r.dependencies.map((d) => d.urn),
        propertyDependencies: Object.fromEntries(
          Object.entries(r.propertyDependencies).map(([key, deps]) => [key, deps.map((d) => d.urn)]),
        ),
      };
      this.views.set(r.urn, view);
    }
    return view;
  }
}
