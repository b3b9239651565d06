import { type Rule, resourceRule, type StackResourceView, type StackView, stackRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, isObject, items, knownStrings, type Plain, show, unknown } from "../../lib/values";

/** A CIDR with prefix length 0 is the whole address space: 0.0.0.0/0, ::/0. */
const isWorld = (cidr: string) => /\/0$/.test(cidr.trim());

interface Ingress {
  readonly cidrs: string[];
  readonly protocol: Plain | undefined;
  readonly from: Plain | undefined;
  readonly to: Plain | undefined;
}

/** The world-open ingress rules a resource declares, and the security group they open. */
function worldIngress(
  stack: StackView,
  r: StackResourceView,
): { group?: StackResourceView; rules: Ingress[] } {
  const ingressOf = (rule: Plain): Ingress => ({
    cidrs: [...knownStrings(at(rule, "cidrBlocks")), ...knownStrings(at(rule, "ipv6CidrBlocks"))],
    protocol: at(rule, "protocol"),
    from: at(rule, "fromPort"),
    to: at(rule, "toPort"),
  });
  if (r.type === t.securityGroup || r.type === t.defaultSecurityGroup) {
    const list = items(r.props.ingress);
    const rules = list === unknown ? [] : list.map(ingressOf);
    return { group: r, rules: rules.filter((rule) => rule.cidrs.some(isWorld)) };
  }
  const [group] = stack.referencedBy(r, "securityGroupId");
  if (r.type === t.securityGroupRule) {
    return {
      group,
      rules: r.props.type === "ingress" ? [ingressOf(r.props)].filter((i) => i.cidrs.some(isWorld)) : [],
    };
  }
  const cidrs = [r.props.cidrIpv4, r.props.cidrIpv6].filter((c): c is string => typeof c === "string");
  const rule: Ingress = { cidrs, protocol: r.props.ipProtocol, from: r.props.fromPort, to: r.props.toPort };
  return { group, rules: cidrs.some(isWorld) ? [rule] : [] };
}

export const noWorldIngress = stackRule<{ loadBalancerPorts: number[] }>({
  id: "security-no-world-ingress",
  family: "network",
  controls: ["FSBP EC2.18", "FSBP EC2.19"],
  concern: "security",
  description:
    "No security group admits 0.0.0.0/0 or ::/0, except an application load balancer's on its HTTP/HTTPS " +
    "ports. Fix: admit the client security group (securityGroups / referencedSecurityGroupId) or a narrow " +
    "CIDR instead; put public traffic behind the ALB.",
  config: {
    schema: {
      loadBalancerPorts: {
        type: "array",
        items: { type: "integer", minimum: 1, maximum: 65535 },
        description: "TCP ports an application load balancer may open to the internet.",
      },
    },
    defaults: () => ({ loadBalancerPorts: [80, 443] }),
  },
  check: (stack, config, report) => {
    const resources = stack.ofType(
      t.securityGroup,
      t.defaultSecurityGroup,
      t.securityGroupRule,
      t.securityGroupIngressRule,
    );
    for (const r of resources) {
      const { group, rules } = worldIngress(stack, r);
      const albGroup =
        group !== undefined &&
        t.loadBalancers.some((lbType) =>
          stack
            .referencing(group, "securityGroups", lbType)
            .some(
              (lb) => lb.props.loadBalancerType === undefined || lb.props.loadBalancerType === "application",
            ),
        );
      for (const rule of rules) {
        const tcp = rule.protocol === "tcp" || rule.protocol === "6";
        const allowedPort =
          albGroup && tcp && rule.from === rule.to && config.loadBalancerPorts.includes(Number(rule.from));
        if (!allowedPort) {
          const where = albGroup
            ? "an ALB's group beyond its HTTP/HTTPS ports"
            : "a group that fronts no ALB";
          report(
            `${r.name} admits ${rule.cidrs.filter(isWorld).join(", ")} on ${show(rule.protocol)} ` +
              `${show(rule.from)}-${show(rule.to)} (${where})`,
            r.urn,
          );
        }
      }
    }
  },
});

export const defaultSecurityGroupClosed = stackRule({
  id: "security-default-sg-closed",
  family: "network",
  controls: ["FSBP EC2.2"],
  concern: "security",
  description:
    "Each VPC's default security group has no rules, so nothing can rely on it by accident. Fix: declare an " +
    "aws.ec2.DefaultSecurityGroup for the VPC with ingress: [] and egress: [] (the Network component does).",
  check: (stack, _config, report) => {
    for (const vpc of stack.ofType(t.vpc)) {
      const groups = stack.referencing(vpc, "vpcId", t.defaultSecurityGroup);
      if (groups.length === 0) report(`VPC ${vpc.name}'s default security group keeps AWS's rules`, vpc.urn);
      for (const group of groups) {
        for (const direction of ["ingress", "egress"]) {
          const rules = items(group.props[direction]);
          if (rules !== unknown && rules.length > 0) {
            report(`${group.name} has ${rules.length} ${direction} rule(s)`, group.urn);
          }
        }
      }
    }
  },
});

export const vpcFlowLogs = stackRule({
  id: "security-vpc-flow-logs",
  family: "network",
  controls: ["FSBP EC2.6"],
  concern: "security",
  description:
    'Every VPC records all its traffic in flow logs. Fix: add an aws.ec2.FlowLog with vpcId and trafficType "ALL" ' +
    "to an encrypted log group with a retention (the Network component does).",
  check: (stack, _config, report) => {
    for (const vpc of stack.ofType(t.vpc)) {
      const logs = stack.referencing(vpc, "vpcId", t.flowLog);
      if (!logs.some((log) => log.props.trafficType === "ALL" || log.props.trafficType === unknown)) {
        const types = logs.map((log) => show(log.props.trafficType));
        report(
          `VPC ${vpc.name} has ${logs.length ? `flow logs of ${types.join(", ")} only` : "no flow log"}`,
          vpc.urn,
        );
      }
    }
  },
});

export const imdsV2 = resourceRule<{ maxHopLimit: number }>({
  id: "security-imdsv2",
  family: "network",
  controls: ["FSBP EC2.8", "FSBP AutoScaling.3"],
  concern: "security",
  description:
    "Instances and node launch templates require IMDSv2 and keep the metadata service out of pods' reach. " +
    'Fix: set metadataOptions { httpTokens: "required", httpPutResponseHopLimit: 1 }.',
  types: [t.launchTemplate, t.ec2Instance],
  config: {
    schema: {
      maxHopLimit: {
        type: "integer",
        minimum: 1,
        maximum: 64,
        description: "Highest PUT response hop limit; 1 keeps containers from reaching instance credentials.",
      },
    },
    defaults: () => ({ maxHopLimit: 1 }),
  },
  check: ({ props }, config, report) => {
    const options = props.metadataOptions;
    if (options === unknown) return;
    if (!isObject(options) || at(options, "httpEndpoint") === "disabled") {
      if (!isObject(options))
        report('metadataOptions is not set: IMDSv1 stays enabled (httpTokens "optional")');
      return;
    }
    const tokens = options.httpTokens;
    if (tokens !== "required" && tokens !== unknown) report(`metadataOptions.httpTokens is ${show(tokens)}`);
    const hops = options.httpPutResponseHopLimit;
    if (hops !== unknown && !(typeof hops === "number" && hops <= config.maxHopLimit)) {
      report(`metadataOptions.httpPutResponseHopLimit is ${show(hops)}, above ${config.maxHopLimit}`);
    }
  },
});

export const networkSecurityRules: Rule[] = [noWorldIngress, defaultSecurityGroupClosed, vpcFlowLogs, imdsV2];
