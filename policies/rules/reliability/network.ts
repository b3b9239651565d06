import { natEgress } from "../../lib/nat";
import { type Rule, stackRule } from "../../lib/rule";

export const natGatewayPerAz = stackRule({
  id: "reliability-nat-gateway-per-az",
  family: "network",
  concern: "reliability",
  description:
    "Each AZ's private subnets reach the internet through a NAT gateway in the same AZ, so losing one AZ " +
    'cuts no other AZ off. Fix: set crest:network.natGateways to "perAz" (one NAT gateway and route table per AZ).',
  levels: { dev: "disabled", prod: "mandatory" },
  check: (stack, _config, report) => {
    for (const { association, subnetZone, natZones } of natEgress(stack)) {
      if (natZones.length > 0 && !natZones.includes(subnetZone)) {
        report(
          `a subnet in ${subnetZone} reaches the internet through a NAT gateway in ${natZones.join(", ")}`,
          association.urn,
        );
      }
    }
  },
});

export const networkReliabilityRules: Rule[] = [natGatewayPerAz];
