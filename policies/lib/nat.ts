import type { StackResourceView, StackView } from "./rule";
import { t } from "./types";

/** Public NAT gateways: `connectivityType` unset means public. */
export function publicNatGateways(stack: StackView): StackResourceView[] {
  return stack
    .ofType(t.natGateway)
    .filter((nat) => [undefined, "public"].includes(nat.props.connectivityType as string));
}

/** The AZ a resource placed in one subnet lives in, when the subnet is declared here with a known AZ. */
function zoneOf(stack: StackView, resource: StackResourceView, property: string): string | undefined {
  const [subnet] = stack.referencedBy(resource, property);
  const zone = subnet?.props.availabilityZone;
  return typeof zone === "string" ? zone : undefined;
}

export interface NatEgress {
  /** The subnet association whose route table sends internet traffic through NAT. */
  readonly association: StackResourceView;
  readonly subnetZone: string;
  /** AZs of the NAT gateways that route uses (known ones only). */
  readonly natZones: string[];
}

/** For every subnet routed through NAT gateways of this stack: its AZ and the NAT gateways' AZs. */
export function natEgress(stack: StackView): NatEgress[] {
  const nats = new Set(publicNatGateways(stack).map((nat) => nat.urn));
  const natsOf = (table: StackResourceView): string[] => {
    const inline = table.propertyDependencies.routes ?? [];
    const separate = stack
      .referencing(table, "routeTableId", "aws:ec2/route:Route")
      .flatMap((route) => route.propertyDependencies.natGatewayId ?? []);
    return [...inline, ...separate].filter((urn) => nats.has(urn));
  };
  return stack.ofType(t.routeTableAssociation).flatMap((association) => {
    const [table] = stack.referencedBy(association, "routeTableId");
    const subnetZone = zoneOf(stack, association, "subnetId");
    const via = table ? natsOf(table) : [];
    if (!subnetZone || via.length === 0) return [];
    const natZones = via
      .map((urn) => stack.get(urn))
      .flatMap((nat) => (nat ? [zoneOf(stack, nat, "subnetId")] : []))
      .filter((zone): zone is string => zone !== undefined);
    return [{ association, subnetZone, natZones }];
  });
}
