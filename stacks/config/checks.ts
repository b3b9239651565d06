import { eksClusterSettingsProblems, eksClusterSettingsSchema } from "../../infra/cluster/args";
import { kafkaClusterSettingsProblems, kafkaClusterSettingsSchema } from "../../infra/kafka/args";
import type { Problem } from "../../infra/lib/problems";
import { parseSettings, valueAt } from "../../infra/lib/schema";
import { networkPlacementProblems, networkSettingsSchema } from "../../infra/network/args";
import { redisClusterSettingsProblems, redisClusterSettingsSchema } from "../../infra/redis/args";
import { storageSettingsProblems, storageSettingsSchema } from "../../infra/storage/args";
import { workloadSizingProblems } from "../../infra/workload/args";
import { maxKafkaAvailabilityZones } from "../components";
import { isRegionName, regions } from "./regions";
import { edgeSettingsSchema } from "./schema";
import { type FloorKey, floorReasons, perAzFloors, tierDefaults } from "./tiers";
import type { StackConfig } from "./types";

const namespace = "crest";

/** A component's problems as config problems: `shards` in section `mysql` is `crest:mysql.shards`. */
function inSection(section: string, problems: readonly Problem[]): Problem[] {
  return problems.map((p) => ({ ...p, path: `${namespace}:${section}.${p.path}` }));
}

export function regionProblems(config: StackConfig, listedAzs: boolean): Problem[] {
  if (!isRegionName(config.region)) {
    return [
      {
        path: `${namespace}:region`,
        value: config.region,
        allowed: `one of the regions in stacks/config/regions.ts: ${Object.keys(regions).join(", ")}`,
      },
    ];
  }
  const regionAzs: readonly string[] = regions[config.region];
  const { minAvailabilityZones } = tierDefaults[config.tier].rules;
  const problems: Problem[] = [];
  if (!listedAzs && regionAzs.length < minAvailabilityZones) {
    problems.push({
      path: `${namespace}:region`,
      value: config.region,
      allowed: `a region with at least ${minAvailabilityZones} AZs for tier ${config.tier} (${config.region} has ${regionAzs.length})`,
    });
  }
  const azs = config.network.availabilityZones;
  if (azs.length < minAvailabilityZones) {
    problems.push({
      path: `${namespace}:network.availabilityZones`,
      value: azs,
      allowed: `at least ${minAvailabilityZones} AZs for tier ${config.tier}, from: ${regionAzs.join(", ")}`,
    });
  }
  azs.forEach((az, i) => {
    if (!regionAzs.includes(az)) {
      problems.push({
        path: `${namespace}:network.availabilityZones[${i}]`,
        value: az,
        allowed: `an AZ of ${config.region}: ${regionAzs.join(", ")}`,
      });
    }
  });
  const { drRegion } = config.storage;
  if (drRegion !== undefined && (!isRegionName(drRegion) || drRegion === config.region)) {
    problems.push({
      path: `${namespace}:storage.drRegion`,
      value: drRegion,
      allowed: `a region of stacks/config/regions.ts other than ${config.region}, so the copy survives the loss of the primary region`,
    });
  }
  return problems;
}

/**
 * What a component demands across its fields (a node quota, min ≤ desired ≤ max, a safe endpoint,
 * brokers spread evenly over Kafka's AZs, lifecycle transitions in order, no more workers than
 * partitions) and of the AZs, on the
 * resolved settings; each field's own type and limits were checked when the config was parsed.
 */
export function crossFieldProblems(config: StackConfig): Problem[] {
  const redis = parseSettings(redisClusterSettingsSchema, { ...config.redis, multiAz: true }).settings;
  const cluster = parseSettings(eksClusterSettingsSchema, config.cluster).settings;
  const storage = parseSettings(storageSettingsSchema, config.storage).settings;
  const kafka = parseSettings(kafkaClusterSettingsSchema, config.kafka).settings;
  const kafkaAzs = Math.min(config.network.availabilityZones.length, maxKafkaAvailabilityZones);
  return [
    ...inSection("network", networkPlacementProblems(config.region, config.network.availabilityZones)),
    // The rules of the required fields (vpcCidr, domainName, hostedZoneId); the rest passed parsing.
    ...inSection("network", parseSettings(networkSettingsSchema, config.network).problems),
    ...inSection("edge", parseSettings(edgeSettingsSchema, config.edge).problems),
    ...inSection("redis", redis ? redisClusterSettingsProblems(redis) : []),
    ...inSection("cluster", cluster ? eksClusterSettingsProblems(cluster) : []),
    ...inSection("storage", storage ? storageSettingsProblems(storage) : []),
    ...inSection("kafka", kafka ? kafkaClusterSettingsProblems(kafka, kafkaAzs) : []),
    ...inSection(
      "workload",
      workloadSizingProblems({
        api: config.workload.api,
        worker: { ...config.workload.worker, ordersPartitions: config.kafka.ordersPartitions },
      }),
    ),
  ];
}

/** What the tier demands beyond the components' limits. */
export function tierProblems(config: StackConfig): Problem[] {
  const rules = tierDefaults[config.tier].rules;
  const azs = config.network.availabilityZones.length;
  return [
    ...Object.entries(rules.floors).flatMap(([key, floor]) => {
      const min = perAzFloors.has(key as FloorKey) ? floor * azs : floor;
      const value = valueAt(config, key.split("."));
      return typeof value === "number" && value >= min
        ? []
        : [
            {
              path: `${namespace}:${key}`,
              value,
              allowed: `at least ${min} for tier ${config.tier} (${floorReasons[key as FloorKey]})`,
            },
          ];
    }),
    ...(!rules.allowPublicClusterEndpoint && config.cluster.endpointPublicAccess
      ? [
          {
            path: `${namespace}:cluster.endpointPublicAccess`,
            value: true,
            allowed: `false for tier ${config.tier} (the Kubernetes API is reachable from inside the VPC only; deploy from a runner there)`,
          },
        ]
      : []),
    ...(rules.requireDrRegion && config.storage.drRegion === undefined
      ? [
          {
            path: `${namespace}:storage.drRegion`,
            value: undefined,
            allowed: `a disaster-recovery region for tier ${config.tier}, e.g. "${config.region === "eu-west-1" ? "eu-central-1" : "eu-west-1"}"`,
          },
        ]
      : []),
  ];
}
