import { res, unknown } from "../fixtures";
import type { RuleCase } from "./ruleCase";
import { deployment, hpa } from "./workloads";

const nat = (name: string) => res("aws:ec2/natGateway:NatGateway", name, { subnetId: unknown });

function bucketWithLifecycle(rules: object[] | undefined, versioned: boolean) {
  const bucket = res("aws:s3/bucket:Bucket", "archive", {});
  const on = { bucket: unknown };
  const deps = { deps: { bucket: [bucket] } };
  return [
    bucket,
    ...(versioned
      ? [
          res(
            "aws:s3/bucketVersioning:BucketVersioning",
            "archive",
            { ...on, versioningConfiguration: { status: "Enabled" } },
            deps,
          ),
        ]
      : []),
    ...(rules
      ? [
          res(
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "archive",
            { ...on, rules },
            deps,
          ),
        ]
      : []),
  ];
}
const abort = { abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } };
const expireOld = { noncurrentVersionExpiration: { noncurrentDays: 30 } };
const api = deployment("api");
/** Three prod-sized brokers: $932.70/month at the table's Singapore prices (the fixtures' provider). */
const kafka = res("aws:msk/cluster:Cluster", "kafka", {
  numberOfBrokerNodes: 3,
  brokerNodeGroupInfo: {
    instanceType: "kafka.m7g.large",
    storageInfo: { ebsStorageInfo: { volumeSize: 1000 } },
  },
});
const budget = (rule: string, monthlyBudgetUsd: number) => ({
  [rule]: { reason: "fixture", monthlyBudgetUsd },
});

export const costCases: RuleCase[] = [
  {
    rule: "cost-instance-class-allow-list",
    failing: [
      {
        fixture: [
          res("aws:rds/clusterInstance:ClusterInstance", "writer", { instanceClass: "db.r7g.16xlarge" }),
        ],
        finding: /instanceClass db.r7g.16xlarge is not in databaseInstanceClasses/,
      },
      {
        fixture: [
          res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { nodeType: "cache.t4g.micro" }),
        ],
        finding: /nodeType cache.t4g.micro/,
      },
      {
        fixture: [
          res("aws:msk/cluster:Cluster", "kafka", {
            brokerNodeGroupInfo: { instanceType: "kafka.m5.4xlarge" },
          }),
        ],
        finding: /kafka.m5.4xlarge/,
      },
      {
        fixture: [
          res("aws:eks/nodeGroup:NodeGroup", "nodes", { instanceTypes: ["m7g.large", "x2iedn.32xlarge"] }),
        ],
        finding: /instanceTypes x2iedn.32xlarge/,
      },
    ],
    passing: [
      [
        res("aws:rds/clusterInstance:ClusterInstance", "writer", { instanceClass: "db.r7g.large" }),
        res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { nodeType: "cache.r7g.large" }),
        res("aws:msk/cluster:Cluster", "kafka", { brokerNodeGroupInfo: { instanceType: "kafka.m7g.large" } }),
        res("aws:eks/nodeGroup:NodeGroup", "nodes", { instanceTypes: ["m7g.large", "c7g.xlarge"] }),
      ],
    ],
  },
  {
    rule: "cost-nat-gateway-count",
    failing: [{ fixture: [nat("nat-a"), nat("nat-b")], finding: /2 NAT gateways, more than 1/ }],
    passing: [
      [nat("nat-a"), res("aws:ec2/natGateway:NatGateway", "internal", { connectivityType: "private" })],
    ],
  },
  {
    rule: "cost-hpa-max-replicas",
    failing: [{ fixture: [hpa(api, 2, 200)], finding: /maxReplicas 200 is above 60/ }],
    passing: [[hpa(api, 2, 60)]],
  },
  {
    rule: "cost-node-group-max-size",
    failing: [
      {
        fixture: [
          res("aws:eks/nodeGroup:NodeGroup", "nodes", {
            scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 100 },
          }),
        ],
        finding: /scalingConfig.maxSize 100 is above 30/,
      },
      {
        fixture: [res("aws:autoscaling/group:Group", "asg", { minSize: 1, maxSize: 50 })],
        finding: /maxSize 50 is above 30/,
      },
    ],
    passing: [
      [
        res("aws:eks/nodeGroup:NodeGroup", "nodes", {
          scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 12 },
        }),
      ],
    ],
  },
  {
    rule: "cost-log-retention",
    failing: [
      {
        fixture: [res("aws:cloudwatch/logGroup:LogGroup", "logs", { kmsKeyId: unknown })],
        finding: /retentionInDays is not set: logs are kept forever/,
      },
      {
        fixture: [res("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 3653 })],
        finding: /3653 is above 1827/,
      },
    ],
    passing: [[res("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 365 })]],
  },
  {
    rule: "cost-s3-lifecycle",
    failing: [
      {
        fixture: bucketWithLifecycle(undefined, false),
        finding: /no enabled rule aborting incomplete multipart uploads/,
      },
      {
        fixture: bucketWithLifecycle([{ id: "a", status: "Disabled", ...abort }], false),
        finding: /no enabled rule aborting/,
      },
      {
        fixture: bucketWithLifecycle([{ id: "a", status: "Enabled", ...abort }], true),
        finding: /versioned bucket archive keeps noncurrent versions forever/,
      },
    ],
    passing: [
      bucketWithLifecycle([{ id: "a", status: "Enabled", filter: {}, ...abort, ...expireOld }], true),
    ],
  },
  {
    rule: "cost-monthly-budget",
    config: budget("cost-monthly-budget", 900),
    failing: [
      {
        fixture: [kafka],
        finding:
          /estimated \$932\.70\/month is 103\.6% of the \$900\.00 budget; largest: kafka \$932\.70\/month/,
      },
    ],
    passing: [[res("aws:eks/cluster:Cluster", "eks", {})]],
  },
  {
    rule: "cost-monthly-budget-headroom",
    config: budget("cost-monthly-budget-headroom", 1000),
    failing: [
      { fixture: [kafka], finding: /estimated \$932\.70\/month is 93\.3% of the \$1,000\.00 budget/ },
    ],
    passing: [[res("aws:eks/cluster:Cluster", "eks", {})]],
  },
];
