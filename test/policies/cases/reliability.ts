import type { WireResource } from "../../../tools/policy/wire";
import { res, unknown } from "../fixtures";
import type { RuleCase } from "./ruleCase";
import { deployment, hpa, pdb } from "./workloads";

const redis = (props: Record<string, unknown>) =>
  res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    numNodeGroups: 3,
    replicasPerNodeGroup: 2,
    snapshotRetentionLimit: 7,
    ...props,
  });

function aurora(zones: (string | undefined)[]) {
  const cluster = res("aws:rds/cluster:Cluster", "shard", { engine: "aurora-mysql" });
  const instances = zones.map((availabilityZone, i) =>
    res(
      "aws:rds/clusterInstance:ClusterInstance",
      `shard-${i}`,
      { clusterIdentifier: unknown, ...(availabilityZone ? { availabilityZone } : {}) },
      { deps: { clusterIdentifier: [cluster] } },
    ),
  );
  return [cluster, ...instances];
}

/** Subnets in two AZs whose private route tables send internet traffic to the NAT gateways of `natZones[i]`. */
function egress(natZones: string[]): WireResource[] {
  const zones = ["ap-southeast-1a", "ap-southeast-1b"];
  const subnet = (tier: string, az: string) =>
    res("aws:ec2/subnet:Subnet", `${tier}-${az}`, { availabilityZone: az, vpcId: unknown });
  const publicSubnets = new Map(zones.map((az) => [az, subnet("public", az)]));
  const nats = new Map(
    [...new Set(natZones)].map((az) => [
      az,
      res(
        "aws:ec2/natGateway:NatGateway",
        `nat-${az}`,
        { subnetId: unknown, connectivityType: "public" },
        { deps: { subnetId: [publicSubnets.get(az) as WireResource] } },
      ),
    ]),
  );
  return [
    ...publicSubnets.values(),
    ...nats.values(),
    ...zones.flatMap((az, i) => {
      const privateSubnet = subnet("private", az);
      const nat = nats.get(natZones[i] as string) as WireResource;
      const table = res(
        "aws:ec2/routeTable:RouteTable",
        `private-${az}`,
        { routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: unknown }] },
        { deps: { routes: [nat] } },
      );
      const association = res(
        "aws:ec2/routeTableAssociation:RouteTableAssociation",
        `private-${az}`,
        { subnetId: unknown, routeTableId: unknown },
        { deps: { subnetId: [privateSubnet], routeTableId: [table] } },
      );
      return [privateSubnet, table, association];
    }),
  ];
}

function bucketVersioned(status: string | undefined) {
  const bucket = res("aws:s3/bucket:Bucket", "archive", {});
  if (!status) return [bucket];
  return [
    bucket,
    res(
      "aws:s3/bucketVersioning:BucketVersioning",
      "archive",
      { bucket: unknown, versioningConfiguration: { status } },
      { deps: { bucket: [bucket] } },
    ),
  ];
}

const configuration = (serverProperties: string) =>
  res("aws:msk/configuration:Configuration", "kafka", { serverProperties });
const api = deployment("api");

export const reliabilityCases: RuleCase[] = [
  {
    rule: "reliability-redis-failover",
    failing: [
      { fixture: [redis({ multiAzEnabled: false })], finding: /multiAzEnabled is false/ },
      {
        fixture: [redis({ automaticFailoverEnabled: undefined })],
        finding: /automaticFailoverEnabled is not set/,
      },
      { fixture: [redis({ replicasPerNodeGroup: 0 })], finding: /0 replicas per shard/ },
      {
        fixture: [redis({ replicasPerNodeGroup: undefined, numNodeGroups: undefined, numCacheClusters: 1 })],
        finding: /0 replicas per shard/,
      },
    ],
    passing: [
      [redis({})],
      [redis({ replicasPerNodeGroup: undefined, numNodeGroups: undefined, numCacheClusters: 2 })],
    ],
  },
  {
    rule: "reliability-database-multi-az",
    failing: [
      { fixture: aurora(["ap-southeast-1a"]), finding: /has 1 instance\(s\), fewer than 2/ },
      { fixture: aurora(["ap-southeast-1a", "ap-southeast-1a"]), finding: /all sit in ap-southeast-1a/ },
      {
        fixture: [res("aws:rds/instance:Instance", "legacy", { engine: "mysql" })],
        finding: /has multiAz not set/,
      },
    ],
    passing: [
      aurora(["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"]),
      aurora([undefined, undefined]),
    ],
  },
  {
    rule: "reliability-backup-retention",
    failing: [
      {
        fixture: [res("aws:rds/cluster:Cluster", "shard", { backupRetentionPeriod: 3 })],
        finding: /backupRetentionPeriod is 3, below 7/,
      },
      { fixture: [res("aws:rds/cluster:Cluster", "shard", {})], finding: /not set \(1 day\(s\)\), below 7/ },
      { fixture: [redis({ snapshotRetentionLimit: 0 })], finding: /snapshotRetentionLimit is 0, below 1/ },
    ],
    passing: [[res("aws:rds/cluster:Cluster", "shard", { backupRetentionPeriod: 14 }), redis({})]],
  },
  {
    rule: "reliability-deletion-protection",
    failing: [
      {
        fixture: [
          res("aws:rds/cluster:Cluster", "shard", { deletionProtection: true, skipFinalSnapshot: false }),
        ],
        finding: /Pulumi protect option is off/,
      },
      {
        fixture: [
          res(
            "aws:rds/cluster:Cluster",
            "shard",
            { deletionProtection: false, skipFinalSnapshot: true },
            { protect: true },
          ),
        ],
        finding: /deletionProtection is false/,
      },
      {
        fixture: [
          res(
            "aws:rds/cluster:Cluster",
            "shard",
            { deletionProtection: true, skipFinalSnapshot: true },
            { protect: true },
          ),
        ],
        finding: /skipFinalSnapshot is true/,
      },
      {
        fixture: [res("aws:lb/loadBalancer:LoadBalancer", "alb", {})],
        finding: /enableDeletionProtection is not set/,
      },
    ],
    passing: [
      [
        res(
          "aws:rds/cluster:Cluster",
          "shard",
          { deletionProtection: true, skipFinalSnapshot: false },
          { protect: true },
        ),
        res("aws:s3/bucket:Bucket", "archive", {}, { protect: true }),
        res("aws:lb/loadBalancer:LoadBalancer", "alb", { enableDeletionProtection: true }),
      ],
    ],
  },
  {
    rule: "reliability-kafka-replication",
    failing: [
      {
        fixture: [configuration("default.replication.factor=2\nmin.insync.replicas=2")],
        finding: /default.replication.factor is 2, below 3|not below default.replication.factor/,
      },
      {
        fixture: [configuration("default.replication.factor=3\nmin.insync.replicas=1")],
        finding: /min.insync.replicas is 1, below 2/,
      },
      {
        fixture: [
          configuration(
            "default.replication.factor=3\nmin.insync.replicas=2\nunclean.leader.election.enable=true",
          ),
        ],
        finding: /unclean.leader.election.enable=true/,
      },
      {
        fixture: [res("aws:msk/topic:Topic", "orders", { replicationFactor: 1, partitionCount: 12 })],
        finding: /replicationFactor is 1, below 3/,
      },
      {
        fixture: [res("aws:msk/cluster:Cluster", "kafka", { numberOfBrokerNodes: 2 })],
        finding: /numberOfBrokerNodes is 2, below 3/,
      },
    ],
    passing: [
      [
        configuration(
          "auto.create.topics.enable=false\ndefault.replication.factor=3\nmin.insync.replicas=2\nunclean.leader.election.enable=false",
        ),
        res("aws:msk/topic:Topic", "orders", { replicationFactor: 3, partitionCount: 12 }),
        res("aws:msk/cluster:Cluster", "kafka", { numberOfBrokerNodes: 3 }),
      ],
    ],
  },
  {
    rule: "reliability-nat-gateway-per-az",
    failing: [
      {
        fixture: egress(["ap-southeast-1a", "ap-southeast-1a"]),
        finding: /a subnet in ap-southeast-1b reaches the internet through a NAT gateway in ap-southeast-1a/,
      },
    ],
    passing: [egress(["ap-southeast-1a", "ap-southeast-1b"])],
  },
  {
    rule: "reliability-s3-versioning",
    failing: [
      { fixture: bucketVersioned(undefined), finding: /is not versioned \(no versioning\)/ },
      { fixture: bucketVersioned("Suspended"), finding: /is not versioned \("Suspended"\)/ },
    ],
    passing: [bucketVersioned("Enabled")],
  },
  {
    rule: "reliability-deployment-replicas",
    failing: [
      { fixture: [deployment("api", { replicas: 1 })], finding: /api runs 1 pod\(s\) and no HPA scales it/ },
      { fixture: [deployment("api", { replicas: undefined })], finding: /api runs 1 pod\(s\)/ },
      {
        fixture: [api, hpa(api, undefined, 10)],
        finding: /api scales down to 1 pod\(s\) through HPA api-hpa/,
      },
    ],
    passing: [
      [deployment("api", { replicas: 2 })],
      [deployment("api", { replicas: undefined }), hpa(deployment("api", { replicas: undefined }), 3, 10)],
    ],
  },
  {
    rule: "reliability-probes",
    failing: [
      {
        fixture: [deployment("api", { container: { readinessProbe: undefined } })],
        finding: /containers\[0\] \(api\) has no readinessProbe/,
      },
      {
        fixture: [deployment("api", { container: { livenessProbe: undefined } })],
        finding: /has no livenessProbe/,
      },
    ],
    passing: [[api]],
  },
  {
    rule: "reliability-pod-disruption-budget",
    failing: [
      { fixture: [api], finding: /api has no PodDisruptionBudget/ },
      { fixture: [api, pdb("api", { minAvailable: 0 })], finding: /allows every pod to be evicted/ },
      {
        fixture: [api, pdb("api", { maxUnavailable: 0 })],
        finding: /PodDisruptionBudget api-pdb allows no eviction \(maxUnavailable 0\): node drains hang/,
      },
      {
        fixture: [api, pdb("api", { minAvailable: "100%" })],
        finding: /allows no eviction \(minAvailable "100%"\)/,
      },
      { fixture: [api, pdb("web", { maxUnavailable: 1 })], finding: /api has no PodDisruptionBudget/ },
    ],
    passing: [[api, pdb("api", { maxUnavailable: 1 })]],
  },
  {
    rule: "reliability-hpa-bounds",
    failing: [
      { fixture: [hpa(api, 5, 3)], finding: /minReplicas 5 is above maxReplicas 3/ },
      { fixture: [hpa(api, undefined, 6)], finding: /minReplicas is 1, below 2/ },
    ],
    passing: [[hpa(api, 2, 6)]],
  },
  {
    rule: "reliability-topology-spread",
    failing: [
      {
        fixture: [deployment("api", { pod: { topologySpreadConstraints: undefined } })],
        finding: /no topologySpreadConstraints over topology.kubernetes.io\/zone/,
      },
      {
        fixture: [
          deployment("api", {
            pod: {
              topologySpreadConstraints: [
                { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule" },
              ],
            },
          }),
        ],
        finding: /no topologySpreadConstraints/,
      },
    ],
    passing: [[api]],
  },
];
