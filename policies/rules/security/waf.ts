import { bucketSettings } from "../../lib/buckets";
import { type Rule, resourceRule, type StackResourceView, type StackView, stackRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, isObject, items, knownStrings, type Plain, show, unknown } from "../../lib/values";

/** WAF refuses a logging destination whose name lacks this prefix (API reference, LoggingConfiguration). */
const wafLogPrefix = "aws-waf-logs-";

/** Actions that stop a request; `count` only counts, and lets it through. */
const stopping = ["block", "captcha", "challenge"];

/** What a web ACL rule does, read from `rules` or from the JSON form `ruleJson` (PascalCase). */
interface AclRule {
  readonly name: string;
  readonly statement: Plain | undefined;
  readonly action: Plain | undefined;
  readonly overrideAction: Plain | undefined;
}

function aclRules(props: Record<string, Plain>): AclRule[] | typeof unknown {
  if (typeof props.ruleJson === "string") {
    try {
      const parsed = JSON.parse(props.ruleJson) as Plain[];
      return parsed.map((rule) => ({
        name: String(at(rule, "Name")),
        statement: lowerKeys(at(rule, "Statement")),
        action: lowerKeys(at(rule, "Action")),
        overrideAction: lowerKeys(at(rule, "OverrideAction")),
      }));
    } catch {
      return [];
    }
  }
  const list = items(props.rules);
  if (list === unknown) return unknown;
  return list.map((rule) => ({
    name: String(at(rule, "name")),
    statement: at(rule, "statement"),
    action: at(rule, "action"),
    overrideAction: at(rule, "overrideAction"),
  }));
}

/** `RateBasedStatement` → `rateBasedStatement`, throughout, so both forms read alike. */
function lowerKeys(value: Plain | undefined): Plain | undefined {
  if (Array.isArray(value)) return value.map((v) => lowerKeys(v) ?? null);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), lowerKeys(v) ?? null]),
  );
}

const actionKinds = (action: Plain | undefined) => (isObject(action) ? Object.keys(action) : []);

export const wafRules = resourceRule({
  id: "security-waf-rules",
  family: "edge",
  controls: ["FSBP WAF.10"],
  concern: "security",
  description:
    "A web ACL limits each client's request rate and runs at least one AWS managed rule group, and both act: " +
    "the rate-based rule blocks (or challenges) rather than counts, and the rule group's overrideAction is " +
    "none rather than count. Fix: add a rateBasedStatement rule with action block and a " +
    "managedRuleGroupStatement rule (e.g. AWSManagedRulesCommonRuleSet) with overrideAction { none: {} }.",
  types: [t.webAcl],
  check: ({ props }, _config, report) => {
    const rules = aclRules(props);
    if (rules === unknown) return;
    const has = (kind: string) => (r: AclRule) => isObject(r.statement) && r.statement[kind] !== undefined;
    const rate = rules.filter(has("rateBasedStatement"));
    const managed = rules.filter(has("managedRuleGroupStatement"));
    if (rate.length === 0) report("has no rate-based rule: one client can send unlimited requests");
    else if (
      !rate.some((r) => r.action === unknown || actionKinds(r.action).some((a) => stopping.includes(a)))
    ) {
      report(`its rate-based rules (${rate.map((r) => r.name).join(", ")}) only count, they never block`);
    }
    if (managed.length === 0) report("runs no managed rule group");
    else if (
      !managed.some((r) => r.overrideAction === unknown || !actionKinds(r.overrideAction).includes("count"))
    ) {
      report(
        `its managed rule groups (${managed.map((r) => r.name).join(", ")}) are overridden to count only`,
      );
    }
  },
});

/** Why a logging destination of this stack is not an encrypted `aws-waf-logs-` one, if it is not. */
function destinationProblems(stack: StackView, destination: StackResourceView): string[] {
  const { type, props, name } = destination;
  const problems: string[] = [];
  const physical = type === t.firehoseStream || type === t.logGroup ? props.name : props.bucket;
  const given = physical ?? props.namePrefix ?? props.bucketPrefix;
  if (typeof given === "string" && !given.startsWith(wafLogPrefix)) {
    problems.push(
      `destination ${name} is named ${show(given)}, without the ${wafLogPrefix} prefix WAF requires`,
    );
  }
  if (type === t.logGroup && (props.kmsKeyId === undefined || props.kmsKeyId === null)) {
    problems.push(`destination log group ${name} has no kmsKeyId`);
  }
  if (type === t.firehoseStream) {
    const sse = at(props, "serverSideEncryption");
    if (sse !== unknown && (at(sse, "enabled") !== true || at(sse, "keyType") !== "CUSTOMER_MANAGED_CMK")) {
      problems.push(`destination stream ${name} is not encrypted with a customer-managed key`);
    }
  }
  if (t.buckets.includes(type as (typeof t.buckets)[number])) {
    if (bucketSettings(stack, destination, t.bucketEncryption).length === 0) {
      problems.push(`destination bucket ${name} declares no default encryption`);
    }
  }
  return problems;
}

export const wafLogging = stackRule({
  id: "security-waf-logging",
  family: "edge",
  controls: ["FSBP WAF.11", "CKV2_AWS_31"],
  concern: "security",
  description:
    "Every web ACL logs the requests it inspects (aws.wafv2.WebAclLoggingConfiguration) to an encrypted " +
    "destination whose name starts with aws-waf-logs-: a CloudWatch log group with a kmsKeyId, a Firehose " +
    "stream with a customer-managed key, or an encrypted bucket. Fix: create an aws-waf-logs-<name> log group " +
    "with its own KMS key (in us-east-1 for a CloudFront web ACL) and a WebAclLoggingConfiguration naming it.",
  check: (stack, _config, report) => {
    const configs = stack.ofType(t.webAclLogging);
    for (const acl of stack.ofType(t.webAcl)) {
      const mine = configs.filter((c) => c.propertyDependencies.resourceArn?.includes(acl.urn));
      if (mine.length === 0) {
        report("no WebAclLoggingConfiguration logs this web ACL", acl.urn);
        continue;
      }
      for (const config of mine) {
        const destinations = stack.referencedBy(config, "logDestinationConfigs");
        for (const problem of destinations.flatMap((d) => destinationProblems(stack, d))) {
          report(problem, acl.urn);
        }
        // A literal ARN of a destination outside the program: its name is all that can be judged.
        for (const arn of knownStrings(config.props.logDestinationConfigs)) {
          if (!arn.includes(wafLogPrefix))
            report(`logs to ${arn}, without the ${wafLogPrefix} prefix`, acl.urn);
        }
      }
    }
  },
});

export const wafRulesAndLogging: Rule[] = [wafRules, wafLogging];
