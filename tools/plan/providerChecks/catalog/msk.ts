import type { RecordedResource } from "../../recorder";
import { awsPage, type Finding, knownString, notIn, type ProviderRule } from "../types";

const sizesSource = awsPage(
  "https://docs.aws.amazon.com/msk/latest/developerguide/broker-instance-sizes.html",
);
const versionsSource = awsPage(
  "https://docs.aws.amazon.com/msk/latest/developerguide/supported-kafka-versions.html",
);

const m5 = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"];
const m7g = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"];

/** MSK Standard broker sizes. */
export const standardBrokerSizes = [
  "kafka.t3.small",
  ...m5.map((s) => `kafka.m5.${s}`),
  ...m7g.map((s) => `kafka.m7g.${s}`),
];

/**
 * Sizes for a KRaft-mode cluster: M5 and M7g only. AWS's size table lists T3 without a mode, but no
 * AWS page confirms T3 brokers in KRaft mode, and CreateCluster refusing T3 ("Unsupported
 * InstanceType") for new KRaft clusters has been reported; a size no source supports is refused.
 */
export const kraftBrokerSizes = standardBrokerSizes.filter((size) => !size.startsWith("kafka.t3."));

/**
 * Kafka versions a new MSK cluster can be created with: the supported versions whose end-of-support
 * date had not passed on the date checked (3.6.0 ended 2026-06-01), in the version strings the MSK
 * API takes (`.kraft` for KRaft metadata mode; 4.x is KRaft only).
 */
export const kafkaVersions = [
  "3.7.x",
  "3.7.x.kraft",
  "3.8.x",
  "3.9.x",
  "3.9.x.kraft",
  "4.0.x.kraft",
  "4.1.x.kraft",
];

export const mskKafkaVersion: ProviderRule = {
  id: "msk-kafka-version",
  source: versionsSource,
  types: ["aws:msk/cluster:Cluster"],
  check(resource: RecordedResource): Finding[] {
    const version = knownString(resource.inputs, "kafkaVersion");
    return version && !kafkaVersions.includes(version) ? [notIn("kafkaVersion", version, kafkaVersions)] : [];
  },
};

export const mskBrokerSize: ProviderRule = {
  id: "msk-broker-size",
  source: sizesSource,
  types: ["aws:msk/cluster:Cluster"],
  check(resource: RecordedResource): Finding[] {
    const size = knownString(resource.inputs, "brokerNodeGroupInfo.instanceType");
    if (!size) return [];
    const kraft = knownString(resource.inputs, "kafkaVersion")?.endsWith(".kraft") ?? false;
    const allowed = kraft ? kraftBrokerSizes : standardBrokerSizes;
    const context = kraft ? "in KRaft mode (T3 is not documented for KRaft), " : "";
    return allowed.includes(size) ? [] : [notIn("brokerNodeGroupInfo.instanceType", size, allowed, context)];
  },
};
