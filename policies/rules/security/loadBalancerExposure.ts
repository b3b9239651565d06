import { type Rule, resourceRule, type StackResourceView, type StackView, stackRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, items, knownStrings, type Plain, show, unknown } from "../../lib/values";

const isApplication = (lb: StackResourceView) =>
  lb.props.loadBalancerType === undefined || lb.props.loadBalancerType === "application";

/** The CIDR sources of one ingress entry (inline `ingress[]`, SecurityGroupRule or SecurityGroupIngressRule). */
function cidrSources(rule: Plain | undefined): string[] {
  return [
    ...knownStrings(at(rule, "cidrBlocks")),
    ...knownStrings(at(rule, "ipv6CidrBlocks")),
    ...[at(rule, "cidrIpv4"), at(rule, "cidrIpv6")].filter((c): c is string => typeof c === "string"),
  ];
}

/** Every ingress entry that opens `group`, with where it is declared. */
function ingressOf(stack: StackView, group: StackResourceView): { where: string; rule: Plain }[] {
  const inline = items(group.props.ingress);
  const separate = stack
    .ofType(t.securityGroupRule, t.securityGroupIngressRule)
    .filter((r) => r.propertyDependencies.securityGroupId?.includes(group.urn))
    .filter((r) => r.type === t.securityGroupIngressRule || r.props.type === "ingress");
  return [
    ...(inline === unknown
      ? []
      : inline.map((rule): { where: string; rule: Plain } => ({ where: group.name, rule }))),
    ...separate.map((r) => ({ where: r.name, rule: r.props as Plain })),
  ];
}

export const albIngressFromCloudFront = stackRule({
  id: "security-alb-ingress-cloudfront-only",
  family: "network",
  controls: ["AwsSolutions-EC23", "CKV_AWS_260"],
  concern: "security",
  description:
    "An internet-facing application load balancer behind CloudFront admits only CloudFront's origin-facing " +
    "servers: its security groups name the AWS managed prefix list com.amazonaws.global.cloudfront.origin-facing " +
    "(or a source security group), never a CIDR such as 0.0.0.0/0, so nobody reaches the origin around the " +
    "CDN and its WAF. Fix: look the prefix list up with aws.ec2.getManagedPrefixList and use prefixListIds " +
    "instead of cidrBlocks on the HTTPS ingress rule.",
  check: (stack, _config, report) => {
    for (const lb of stack.ofType(...t.loadBalancers)) {
      if (!isApplication(lb) || lb.props.internal === true || lb.props.internal === unknown) continue;
      if (lb.props.securityGroups === undefined || lb.props.securityGroups === null) {
        report("has no security group of its own: the VPC's default group decides who reaches it", lb.urn);
        continue;
      }
      for (const group of stack.referencedBy(lb, "securityGroups")) {
        for (const { where, rule } of ingressOf(stack, group)) {
          const cidrs = cidrSources(rule);
          if (cidrs.length > 0) {
            report(
              `${where} admits ${cidrs.join(", ")} on port ${show(at(rule, "fromPort"))} instead of CloudFront's origin-facing prefix list`,
              lb.urn,
            );
          }
        }
      }
    }
  },
});

/** Web listener protocols, whose default action decides what a request without a matching rule gets. */
const webProtocols = ["HTTP", "HTTPS"];

export const listenerDefaultDeny = resourceRule({
  id: "security-alb-listener-default-deny",
  family: "edge",
  controls: [
    "CloudFront Developer Guide: restrict access to Application Load Balancers (custom origin header)",
  ],
  concern: "security",
  description:
    "An application load balancer's listener does not forward by default: its default action answers a fixed " +
    "403 (or redirects), and only a rule matching the CDN's secret origin header forwards to targets, so a " +
    "request that did not pass CloudFront and its WAF never reaches the workload. Fix: set defaultActions to " +
    '[{ type: "fixed-response", fixedResponse: { statusCode: "403", contentType: "text/plain" } }] and add a ' +
    "ListenerRule with an httpHeader condition on the header CloudFront sends, forwarding to the target group.",
  types: t.listeners,
  check: ({ props }, _config, report) => {
    const protocol = props.protocol;
    if (typeof protocol === "string" && !webProtocols.includes(protocol)) return;
    const actions = items(props.defaultActions);
    if (actions === unknown) return;
    actions.forEach((action, i) => {
      const type = at(action, "type");
      if (type === "forward" || (type === unknown && at(action, "forward") !== undefined)) {
        report(
          `defaultActions[${i}] forwards every request to ${show(at(action, "targetGroupArn") ?? "targets")}`,
        );
      }
    });
  },
});

/** ELB's desync mitigation modes that refuse ambiguous (smuggling-prone) requests. */
const safeDesyncModes = ["defensive", "strictest"];

export const albDesyncMitigation = resourceRule({
  id: "security-alb-desync-mitigation",
  family: "edge",
  controls: ["FSBP ELB.12", "CKV_AWS_328"],
  concern: "security",
  description:
    "Application load balancers mitigate HTTP desync (request smuggling) in defensive or strictest mode; " +
    'monitor mode lets ambiguous requests through. Fix: set desyncMitigationMode to "strictest" (or leave ' +
    'it unset, which is "defensive").',
  types: t.loadBalancers,
  check: ({ props }, _config, report) => {
    if (props.loadBalancerType !== undefined && props.loadBalancerType !== "application") return;
    const mode = props.desyncMitigationMode;
    if (typeof mode === "string" && !safeDesyncModes.includes(mode)) {
      report(`desyncMitigationMode is ${show(mode)}: ambiguous requests reach the targets`);
    }
  },
});

export const loadBalancerExposureRules: Rule[] = [
  albIngressFromCloudFront,
  listenerDefaultDeny,
  albDesyncMitigation,
];
