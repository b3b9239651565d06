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

/** The log exports each Aurora engine needs for an audit trail and troubleshooting. */
const requiredExports: Readonly<Record<string, readonly string[]>> = {
  "aurora-mysql": ["audit", "error", "slowquery"],
  "aurora-postgresql": ["postgresql"],
};

export const databaseLogsAndIamAuth = resourceRule({
  id: "security-database-logs-and-iam-auth",
  family: "data stores",
  controls: ["FSBP RDS.34", "FSBP RDS.12", "CKV_AWS_324", "CKV_AWS_162"],
  concern: "security",
  description:
    "Aurora clusters export their audit, error and slow-query logs to CloudWatch Logs (postgresql for Aurora " +
    "PostgreSQL) and accept IAM database authentication, so logins and changes are on record and clients can " +
    "use short-lived tokens instead of the master password. Fix: set enabledCloudwatchLogsExports to " +
    '["audit", "error", "slowquery"] and iamDatabaseAuthenticationEnabled: true.',
  types: [t.rdsCluster],
  check: ({ props }, _config, report) => {
    const wanted = typeof props.engine === "string" ? requiredExports[props.engine] : undefined;
    const exports = items(props.enabledCloudwatchLogsExports);
    if (wanted && exports !== unknown && !exports.includes(unknown)) {
      const missing = wanted.filter((log) => !exports.includes(log));
      if (missing.length > 0) report(`enabledCloudwatchLogsExports lacks ${missing.join(", ")}`);
    }
    const iam = props.iamDatabaseAuthenticationEnabled;
    if (iam !== true && iam !== unknown) report(`iamDatabaseAuthenticationEnabled is ${show(iam)}`);
  },
});

export const edgeAccessLogs = stackRule({
  id: "security-edge-access-logs",
  family: "edge",
  controls: ["FSBP CloudFront.5", "FSBP ELB.5", "CKV_AWS_86", "CKV_AWS_91"],
  concern: "security",
  description:
    "CloudFront distributions and application load balancers record every request: a distribution through " +
    "standard logging (loggingConfig, or a CloudWatch Logs delivery source of type ACCESS_LOGS with a " +
    "delivery), a load balancer through accessLogs with enabled: true and a bucket. Fix: keep the Cdn and " +
    "LoadBalancer components' access logs, or add them as they do.",
  check: (stack, _config, report) => {
    const deliveries = stack.ofType("aws:cloudwatch/logDelivery:LogDelivery");
    for (const distribution of stack.ofType(t.distribution)) {
      if (at(distribution.props, "loggingConfig.bucket") !== undefined) continue;
      const delivered = stack
        .referencing(distribution, "resourceArn", "aws:cloudwatch/logDeliverySource:LogDeliverySource")
        .filter((source) => source.props.logType === "ACCESS_LOGS" || source.props.logType === unknown)
        .some((source) =>
          deliveries.some((d) => d.propertyDependencies.deliverySourceName?.includes(source.urn)),
        );
      if (!delivered)
        report("records no access logs (no loggingConfig, no ACCESS_LOGS delivery)", distribution.urn);
    }
    for (const lb of stack.ofType(...t.loadBalancers)) {
      if (lb.props.loadBalancerType !== undefined && lb.props.loadBalancerType !== "application") continue;
      const logs = lb.props.accessLogs;
      if (logs === unknown) continue;
      const enabled = at(logs, "enabled");
      if (enabled !== true && enabled !== unknown) {
        report(`accessLogs.enabled is ${show(enabled)}: requests are not recorded`, lb.urn);
      }
    }
  },
});

export const loggingRules: Rule[] = [
  s3AccessLogging,
  kafkaBrokerLogs,
  databaseEnhancedMonitoring,
  databaseLogsAndIamAuth,
  edgeAccessLogs,
];
