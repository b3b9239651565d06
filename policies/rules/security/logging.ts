import { bucketSettings } from "../../lib/buckets";
import { type Rule, resourceRule, type StackView, stackRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, items, show, unknown } from "../../lib/values";

/**
 * Inputs through which a service delivers logs into a bucket: such a bucket is a log bucket, and
 * logging its own access would log the logging.
 */
const logDeliveries: readonly (readonly [readonly string[], string])[] = [
  [t.bucketLogging, "targetBucket"],
  [t.loadBalancers, "accessLogs"],
  [[t.logDeliveryDestination], "deliveryDestinationConfiguration"],
  [[t.distribution], "loggingConfig"],
  [[t.flowLog], "logDestination"],
  [[t.webAclLogging], "logDestinationConfigs"],
];

/** URNs of the buckets some service delivers logs to, and the names given literally as targets. */
function logBuckets(stack: StackView): { urns: Set<string>; names: Set<string> } {
  const urns = new Set<string>();
  const names = new Set<string>();
  for (const [types, property] of logDeliveries) {
    for (const r of stack.ofType(...types)) {
      for (const urn of r.propertyDependencies[property] ?? []) urns.add(urn);
      const literal = r.props[property];
      if (typeof literal === "string") names.add(literal);
    }
  }
  return { urns, names };
}

export const s3AccessLogging = stackRule({
  id: "security-s3-access-logging",
  family: "S3",
  controls: ["FSBP S3.9", "CKV_AWS_18", "AwsSolutions-S1"],
  concern: "security",
  description:
    "Every bucket that is not itself a log bucket records server access logs (who read or changed which " +
    "object), to a log bucket in the same region. Fix: add an aws.s3.BucketLogging naming the bucket and a " +
    "log bucket of its region (the DR region's copy needs a log bucket there).",
  check: (stack, _config, report) => {
    const logs = logBuckets(stack);
    for (const bucket of stack.ofType(...t.buckets)) {
      const name = bucket.props.bucket;
      if (logs.urns.has(bucket.urn) || (typeof name === "string" && logs.names.has(name))) continue;
      const inline = items(bucket.props.loggings);
      if (inline === unknown || inline.length > 0) continue;
      if (bucketSettings(stack, bucket, t.bucketLogging).length === 0) {
        report("records no server access logs (no BucketLogging names it)", bucket.urn);
      }
    }
  },
});

export const kafkaBrokerLogs = stackRule({
  id: "security-kafka-broker-logs",
  family: "data stores",
  controls: ["CKV_AWS_80"],
  concern: "security",
  description:
    "Kafka (MSK) brokers ship their logs, to a CloudWatch log group encrypted with a customer-managed key " +
    "(or to Firehose or S3). Fix: set loggingInfo.brokerLogs.cloudwatchLogs { enabled: true, logGroup } with " +
    "a log group that has a kmsKeyId.",
  check: (stack, _config, report) => {
    for (const cluster of stack.ofType(t.mskCluster)) {
      const brokerLogs = at(cluster.props, "loggingInfo.brokerLogs");
      if (brokerLogs === unknown) continue;
      const enabled = ["cloudwatchLogs", "firehose", "s3"].filter((sink) => {
        const on = at(brokerLogs, `${sink}.enabled`);
        return on === true || on === unknown;
      });
      if (enabled.length === 0) {
        report("ships no broker logs (loggingInfo.brokerLogs has no enabled destination)", cluster.urn);
        continue;
      }
      for (const group of stack.referencedBy(cluster, "loggingInfo").filter((r) => r.type === t.logGroup)) {
        if (group.props.kmsKeyId === undefined || group.props.kmsKeyId === null) {
          report(`broker log group ${group.name} has no kmsKeyId`, cluster.urn);
        }
      }
    }
  },
});

/** Enhanced Monitoring intervals RDS accepts, in seconds; 0 turns it off. */
const monitoringIntervals = [1, 5, 10, 15, 30, 60];

export const databaseEnhancedMonitoring = resourceRule<{ maxIntervalSeconds: number }>({
  id: "security-database-enhanced-monitoring",
  family: "data stores",
  controls: ["FSBP RDS.6", "CKV_AWS_118"],
  concern: "security",
  description:
    "Every database instance has Enhanced Monitoring on (OS metrics a CloudWatch metric cannot show: CPU steal, " +
    "memory, per-process load), with the role RDS publishes them with. Fix: set monitoringInterval (1–60 s) " +
    "and monitoringRoleArn to a role trusting monitoring.rds.amazonaws.com with the AWS managed policy " +
    "AmazonRDSEnhancedMonitoringRole.",
  types: [t.rdsClusterInstance, t.rdsInstance],
  config: {
    schema: {
      maxIntervalSeconds: {
        type: "integer",
        enum: monitoringIntervals,
        description: "Longest interval between samples.",
      },
    },
    defaults: () => ({ maxIntervalSeconds: 60 }),
  },
  check: ({ props }, config, report) => {
    const interval = props.monitoringInterval;
    if (interval === unknown) return;
    if (typeof interval !== "number" || interval <= 0) {
      report(`monitoringInterval is ${show(interval)}: Enhanced Monitoring is off`);
    } else if (interval > config.maxIntervalSeconds) {
      report(`monitoringInterval is ${interval} s, above ${config.maxIntervalSeconds} s`);
    }
    const role = props.monitoringRoleArn;
    if (role === undefined || role === null || role === "") report("monitoringRoleArn is not set");
  },
});

export const loggingRules: Rule[] = [s3AccessLogging, kafkaBrokerLogs, databaseEnhancedMonitoring];
