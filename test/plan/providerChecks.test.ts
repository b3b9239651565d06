import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import {
  checkProviderInputs,
  describeViolation,
  type ProviderRule,
  type ProviderViolation,
} from "../../tools/plan/providerChecks";
import { awsTypedInputs, documentedValues } from "../../tools/plan/providerChecks/awsTypings";
import {
  auroraMysqlInstanceClass,
  auroraMysqlLogExports,
} from "../../tools/plan/providerChecks/catalog/aurora";
import {
  albSslPolicy,
  cloudFrontSecurityPolicy,
  wafManagedRuleGroup,
} from "../../tools/plan/providerChecks/catalog/edge";
import {
  eksAmiType,
  eksControlPlaneLogTypes,
  eksKubernetesVersion,
  eksNodeInstanceTypes,
} from "../../tools/plan/providerChecks/catalog/eks";
import { valkeyNodeType } from "../../tools/plan/providerChecks/catalog/elasticache";
import { mskBrokerSize, mskKafkaVersion } from "../../tools/plan/providerChecks/catalog/msk";
import {
  architectureOf,
  auroraPerformanceInsightsClass,
  eksNodeArchitecture,
  mskBrokersPerSubnet,
  s3LifecycleTransitionDays,
  valkeyParameterGroupFamily,
} from "../../tools/plan/providerChecks/crossField";
import { kubernetesSchema } from "../../tools/plan/providerChecks/kubernetes";
import type { RecordedResource } from "../../tools/plan/recorder";
import { recordProgram } from "../../tools/plan/run";
import { fixtureResource } from "../support/recording";

const resource = fixtureResource;

/** The refusals of one rule, as `path=value`, for compact assertions. */
async function refused(rule: ProviderRule, ...resources: RecordedResource[]): Promise<string[]> {
  return (await checkProviderInputs(resources, [rule])).map((v) => `${v.path}=${JSON.stringify(v.value)}`);
}

const aurora = (instanceClass: string, more: Record<string, unknown> = {}) =>
  resource("aws:rds/clusterInstance:ClusterInstance", {
    engine: "aurora-mysql",
    engineVersion: "8.0.mysql_aurora.3.10.3",
    instanceClass,
    ...more,
  });

test("Aurora MySQL: an instance class the engine version does not offer is refused", async () => {
  assert.deepEqual(
    await refused(auroraMysqlInstanceClass, aurora("db.r7g.large"), aurora("db.t4g.medium")),
    [],
  );
  assert.deepEqual(await refused(auroraMysqlInstanceClass, aurora("db.r7g.3xlarge")), [
    'instanceClass="db.r7g.3xlarge"',
  ]);
  assert.deepEqual(await refused(auroraMysqlInstanceClass, aurora("db.t4g.small")), [
    'instanceClass="db.t4g.small"',
  ]);
  // db.r8g arrived with Aurora MySQL 3.08.0.
  assert.deepEqual(
    await refused(
      auroraMysqlInstanceClass,
      aurora("db.r8g.large", { engineVersion: "8.0.mysql_aurora.3.05.2" }),
    ),
    ['instanceClass="db.r8g.large"'],
  );
  assert.deepEqual(
    await refused(auroraMysqlInstanceClass, aurora("db.r7g.large", { engineVersion: "3.10.3" })),
    ['engineVersion="3.10.3"'],
  );
  // Unknown in a preview: nothing to judge.
  assert.deepEqual(
    await refused(auroraMysqlInstanceClass, aurora("db.r7g.3xlarge", { engineVersion: "<computed>" })),
    [],
  );
});

test("Aurora MySQL: log exports outside the engine's log types are refused", async () => {
  const cluster = (logs: string[]) =>
    resource("aws:rds/cluster:Cluster", { engine: "aurora-mysql", enabledCloudwatchLogsExports: logs });
  assert.deepEqual(await refused(auroraMysqlLogExports, cluster(["audit", "error", "slowquery"])), []);
  assert.deepEqual(await refused(auroraMysqlLogExports, cluster(["audit", "postgresql"])), [
    'enabledCloudwatchLogsExports[1]="postgresql"',
  ]);
});

test("Aurora MySQL: Performance Insights on a class without it is refused", async () => {
  const pi = { performanceInsightsEnabled: true };
  assert.deepEqual(await refused(auroraPerformanceInsightsClass, aurora("db.t4g.medium", pi)), []);
  assert.deepEqual(await refused(auroraPerformanceInsightsClass, aurora("db.t4g.small")), []);
  assert.deepEqual(await refused(auroraPerformanceInsightsClass, aurora("db.t4g.small", pi)), [
    'instanceClass="db.t4g.small"',
  ]);
  assert.deepEqual(await refused(auroraPerformanceInsightsClass, aurora("db.t3.medium", pi)), [
    'instanceClass="db.t3.medium"',
  ]);
});

const valkey = (nodeType: string, engineVersion = "8.2", more: Partial<RecordedResource> = {}) =>
  resource(
    "aws:elasticache/replicationGroup:ReplicationGroup",
    { engine: "valkey", engineVersion, nodeType },
    more,
  );

test("Valkey: node types and engine versions outside ElastiCache's tables are refused", async () => {
  assert.deepEqual(
    await refused(valkeyNodeType, valkey("cache.t4g.small"), valkey("cache.r7g.large", "7.2")),
    [],
  );
  assert.deepEqual(await refused(valkeyNodeType, valkey("cache.t2.micro")), ['nodeType="cache.t2.micro"']);
  assert.deepEqual(await refused(valkeyNodeType, valkey("cache.r7g.3xlarge")), [
    'nodeType="cache.r7g.3xlarge"',
  ]);
  assert.deepEqual(await refused(valkeyNodeType, valkey("cache.r7g.large", "9.9")), ['engineVersion="9.9"']);
});

test("Valkey: a parameter group of another engine version's family is refused", async () => {
  const group = (family: string) =>
    resource("aws:elasticache/parameterGroup:ParameterGroup", { family }, { name: `group-${family}` });
  const with7 = group("valkey7");
  const with8 = group("valkey8");
  assert.deepEqual(
    await refused(
      valkeyParameterGroupFamily,
      with8,
      valkey("cache.r7g.large", "8.2", { dependencies: [with8.urn] }),
    ),
    [],
  );
  const [violation] = await refused(
    valkeyParameterGroupFamily,
    with7,
    valkey("cache.r7g.large", "8.2", { dependencies: [with7.urn] }),
  );
  assert.match(violation ?? "", /^parameterGroupName=".*group-valkey7 \(family valkey7\)"$/);
});

const msk = (instanceType: string, kafkaVersion: string, subnets = 3, brokers = 3) =>
  resource("aws:msk/cluster:Cluster", {
    kafkaVersion,
    numberOfBrokerNodes: brokers,
    brokerNodeGroupInfo: { instanceType, clientSubnets: Array(subnets).fill("<computed>") },
  });

test("MSK: Kafka versions, broker sizes (no T3 in KRaft mode) and brokers per subnet", async () => {
  assert.deepEqual(await refused(mskKafkaVersion, msk("kafka.m7g.large", "3.9.x.kraft")), []);
  assert.deepEqual(await refused(mskKafkaVersion, msk("kafka.m7g.large", "3.6.0")), ['kafkaVersion="3.6.0"']);
  assert.deepEqual(
    await refused(mskBrokerSize, msk("kafka.m7g.large", "3.9.x.kraft"), msk("kafka.t3.small", "3.9.x")),
    [],
  );
  const [t3] = await checkProviderInputs([msk("kafka.t3.small", "3.9.x.kraft")], [mskBrokerSize]);
  assert.equal(t3?.path, "brokerNodeGroupInfo.instanceType");
  assert.match(
    t3?.allowed ?? "",
    /^in KRaft mode \(T3 is not documented for KRaft\), one of kafka\.m5\.large/,
  );
  assert.deepEqual(await refused(mskBrokerSize, msk("kafka.m7g.medium", "3.9.x")), [
    'brokerNodeGroupInfo.instanceType="kafka.m7g.medium"',
  ]);
  assert.deepEqual(await refused(mskBrokersPerSubnet, msk("kafka.m7g.large", "3.9.x.kraft", 3, 6)), []);
  assert.deepEqual(await refused(mskBrokersPerSubnet, msk("kafka.m7g.large", "3.9.x.kraft", 3, 4)), [
    "numberOfBrokerNodes=4",
  ]);
  assert.deepEqual(await refused(mskBrokersPerSubnet, msk("kafka.m7g.large", "3.9.x.kraft", 1, 1)), [
    'brokerNodeGroupInfo.clientSubnets=["<computed>"]',
  ]);
});

const nodeGroup = (amiType: string, instanceTypes: string[], version = "1.36") =>
  resource("aws:eks/nodeGroup:NodeGroup", { amiType, instanceTypes, version });

test("EKS: Kubernetes versions, control-plane log types, AMI types, instance types and their architecture", async () => {
  const cluster = (version: string, logs: string[]) =>
    resource("aws:eks/cluster:Cluster", { version, enabledClusterLogTypes: logs });
  assert.deepEqual(
    await refused(eksKubernetesVersion, cluster("1.36", []), nodeGroup("AL2_x86_64", [], "1.32")),
    [],
  );
  assert.deepEqual(await refused(eksKubernetesVersion, cluster("1.30", [])), ['version="1.30"']);
  assert.deepEqual(
    await refused(eksControlPlaneLogTypes, cluster("1.36", ["api", "audit", "scheduler"])),
    [],
  );
  assert.deepEqual(await refused(eksControlPlaneLogTypes, cluster("1.36", ["api", "kubelet"])), [
    'enabledClusterLogTypes[1]="kubelet"',
  ]);
  assert.deepEqual(await refused(eksAmiType, nodeGroup("AL2023_ARM_64_STANDARD", ["m7g.xlarge"])), []);
  assert.deepEqual(await refused(eksAmiType, nodeGroup("AL2023_ARM_64", ["m7g.xlarge"])), [
    'amiType="AL2023_ARM_64"',
  ]);
  assert.deepEqual(
    await refused(eksNodeInstanceTypes, nodeGroup("AL2023_ARM_64_STANDARD", ["t4g.large"])),
    [],
  );
  assert.deepEqual(await refused(eksNodeInstanceTypes, nodeGroup("AL2023_ARM_64_STANDARD", ["t4g.huge"])), [
    'instanceTypes[0]="t4g.huge"',
  ]);
  assert.deepEqual(
    await refused(eksNodeArchitecture, nodeGroup("AL2023_x86_64_STANDARD", ["m7i.large", "c7gn.large"])),
    ['instanceTypes[1]="c7gn.large"'],
  );
  assert.deepEqual(await refused(eksNodeArchitecture, nodeGroup("AL2023_ARM_64_STANDARD", ["m7i.large"])), [
    'instanceTypes[0]="m7i.large"',
  ]);
  for (const [type, arch] of [
    ["t4g.large", "arm64"],
    ["m7gd.xlarge", "arm64"],
    ["im4gn.large", "arm64"],
    ["g4dn.xlarge", "x86_64"],
    ["m7i-flex.large", "x86_64"],
    ["c5.large", "x86_64"],
  ] as const)
    assert.equal(architectureOf(type), arch, type);
});

test("edge: ALB SSL policies, CloudFront security policies and WAF managed rule groups", async () => {
  const listener = (sslPolicy: string) =>
    resource("aws:lb/listener:Listener", { protocol: "HTTPS", sslPolicy });
  assert.deepEqual(await refused(albSslPolicy, listener("ELBSecurityPolicy-TLS13-1-2-Res-2021-06")), []);
  assert.deepEqual(await refused(albSslPolicy, listener("ELBSecurityPolicy-TLS13-1-2-Res-2099-01")), [
    'sslPolicy="ELBSecurityPolicy-TLS13-1-2-Res-2099-01"',
  ]);
  const cdn = (minimumProtocolVersion: string) =>
    resource("aws:cloudfront/distribution:Distribution", { viewerCertificate: { minimumProtocolVersion } });
  assert.deepEqual(await refused(cloudFrontSecurityPolicy, cdn("TLSv1.2_2021")), []);
  assert.deepEqual(await refused(cloudFrontSecurityPolicy, cdn("TLSv1.2")), [
    'viewerCertificate.minimumProtocolVersion="TLSv1.2"',
  ]);
  const acl = (name: string, vendorName = "AWS") =>
    resource("aws:wafv2/webAcl:WebAcl", {
      rules: [
        { name: "rate", statement: { rateBasedStatement: { limit: 100 } } },
        { name, statement: { managedRuleGroupStatement: { name, vendorName } } },
      ],
    });
  assert.deepEqual(await refused(wafManagedRuleGroup, acl("AWSManagedRulesCommonRuleSet")), []);
  assert.deepEqual(await refused(wafManagedRuleGroup, acl("SomeMarketplaceGroup", "F5")), []);
  assert.deepEqual(await refused(wafManagedRuleGroup, acl("AWSManagedRulesCoreRuleSet")), [
    'rules[1].statement.managedRuleGroupStatement.name="AWSManagedRulesCoreRuleSet"',
  ]);
});

test("S3 lifecycle: 30 days before an IA class, and 30 days in it before the next class", async () => {
  const lifecycle = (transitions: [number, string][], noncurrent: [number, string][] = []) =>
    resource("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", {
      rules: [
        {
          transitions: transitions.map(([days, storageClass]) => ({ days, storageClass })),
          noncurrentVersionTransitions: noncurrent.map(([noncurrentDays, storageClass]) => ({
            noncurrentDays,
            storageClass,
          })),
        },
      ],
    });
  const crest = lifecycle([
    [30, "STANDARD_IA"],
    [90, "GLACIER_IR"],
    [365, "DEEP_ARCHIVE"],
  ]);
  assert.deepEqual(await refused(s3LifecycleTransitionDays, crest, lifecycle([[1, "GLACIER_IR"]])), []);
  assert.deepEqual(await refused(s3LifecycleTransitionDays, lifecycle([[20, "STANDARD_IA"]])), [
    "rules[0].transitions[0].days=20",
  ]);
  assert.deepEqual(
    await refused(
      s3LifecycleTransitionDays,
      lifecycle(
        [
          [30, "ONEZONE_IA"],
          [45, "GLACIER"],
        ],
        [[7, "STANDARD_IA"]],
      ),
    ),
    ["rules[0].noncurrentVersionTransitions[0].noncurrentDays=7", "rules[0].transitions[1].days=45"],
  );
});

test("@pulumi/aws typings: documented value sets and required nested inputs", async () => {
  assert.deepEqual(documentedValues("Valid values are `preferred` and `required`."), [
    "preferred",
    "required",
  ]);
  assert.deepEqual(documentedValues("Possible values are: 1, 3, 5, and 0. If 0, never."), [
    "1",
    "3",
    "5",
    "0",
  ]);
  // Examples, conditions and two sets are not closed value sets: they never refuse anything.
  assert.equal(documentedValues("Some examples include: `TLSv1.2_2019` and `TLSv1.2_2021`."), undefined);
  assert.equal(documentedValues("Valid values are `ALL` or a CIDR block."), undefined);
  assert.equal(
    documentedValues("For Application Load Balancers, valid values are `HTTP` and `HTTPS`."),
    undefined,
  );
  const cluster = (clientBroker: string, brokerNodeGroupInfo: Record<string, unknown>) =>
    resource("aws:msk/cluster:Cluster", {
      clusterName: "c",
      kafkaVersion: "3.9.x.kraft",
      numberOfBrokerNodes: 3,
      brokerNodeGroupInfo,
      encryptionInfo: { encryptionInTransit: { clientBroker } },
    });
  const nodes = { clientSubnets: ["<computed>"], instanceType: "kafka.m7g.large", securityGroups: [] };
  assert.deepEqual(await refused(awsTypedInputs, cluster("TLS", nodes)), []);
  const [enumViolation] = await checkProviderInputs([cluster("TLS_ONLY", nodes)], [awsTypedInputs]);
  assert.deepEqual(enumViolation && { ...enumViolation, urn: undefined }, {
    path: "encryptionInfo.encryptionInTransit.clientBroker",
    value: "TLS_ONLY",
    allowed: "one of TLS, TLS_PLAINTEXT, PLAINTEXT",
    source: "@pulumi/aws 7.48.0 typings, msk.ClusterEncryptionInfoEncryptionInTransit.clientBroker",
    rule: "aws-typed-input",
    urn: undefined,
  });
  const { instanceType: _, ...withoutSize } = nodes;
  assert.deepEqual(await refused(awsTypedInputs, cluster("TLS", withoutSize)), [
    "brokerNodeGroupInfo.instanceType=undefined",
  ]);
  // "2XX" in a documented set stands for any 2xx status.
  const fixed = (statusCode: string) =>
    resource("aws:lb/listener:Listener", {
      loadBalancerArn: "<computed>",
      defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode } }],
    });
  assert.deepEqual(await refused(awsTypedInputs, fixed("403")), []);
  assert.deepEqual(await refused(awsTypedInputs, fixed("302")), [
    'defaultActions[0].fixedResponse.statusCode="302"',
  ]);
});

test("Kubernetes objects: values outside the schema's enums are refused, with the allowed values", async () => {
  const service = (type: string) =>
    resource("kubernetes:core/v1:Service", {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "api", namespace: "crest" },
      spec: { type, ports: [{ port: 80 }] },
    });
  assert.deepEqual(await refused(kubernetesSchema, service("ClusterIP")), []);
  const [violation] = await checkProviderInputs([service("Internal")], [kubernetesSchema]);
  assert.equal(violation?.path, "spec.type");
  assert.equal(violation?.value, "Internal");
  assert.match(violation?.allowed ?? "", /"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"/);
  assert.match(
    violation?.source ?? "",
    /^kubernetes-models \d+\.\d+\.\d+ \(Kubernetes 1\.36 OpenAPI schema\)$/,
  );
});

/** Four inputs the mocks accept and AWS or Kubernetes would refuse, declared through the real SDKs. */
function refusedProgram(): void {
  new aws.rds.ClusterInstance("shard", {
    clusterIdentifier: "c",
    engine: "aurora-mysql",
    engineVersion: "8.0.mysql_aurora.3.10.3",
    instanceClass: "db.r7g.3xlarge",
  });
  new aws.lb.Listener("https", {
    loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/x/1",
    protocol: "HTTPS",
    sslPolicy: "ELBSecurityPolicy-TLS13-2021",
    defaultActions: [
      { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } },
    ],
  });
  new aws.elasticache.ReplicationGroup("cache", {
    description: "d",
    engine: "valkey",
    engineVersion: "8.2",
    nodeType: "cache.r7g.large",
    transitEncryptionMode: "strict",
  });
  new k8s.apps.v1.Deployment("api", {
    metadata: { name: "api", namespace: "crest" },
    spec: {
      selector: { matchLabels: { app: "api" } },
      template: {
        metadata: { labels: { app: "api" } },
        spec: { containers: [{ name: "api", image: "api:1", imagePullPolicy: "Sometimes" }] },
      },
    },
  });
}

test("a program under mocks: the plan's checks refuse what AWS and Kubernetes would, naming rule and source", async () => {
  const { resources } = await recordProgram("crest", "test", refusedProgram);
  const violations = await checkProviderInputs(resources);
  const byRule = (rule: string): ProviderViolation | undefined => violations.find((v) => v.rule === rule);
  assert.deepEqual(violations.map((v) => `${v.rule} ${v.path}`).sort(), [
    "alb-ssl-policy sslPolicy",
    "aurora-mysql-instance-class instanceClass",
    "aws-typed-input transitEncryptionMode",
    "kubernetes-openapi-schema spec.template.spec.containers.0.imagePullPolicy",
  ]);
  assert.match(
    describeViolation(byRule("aurora-mysql-instance-class") as ProviderViolation),
    /^urn:pulumi:test::crest::aws:rds\/clusterInstance:ClusterInstance::shard: instanceClass: got "db\.r7g\.3xlarge"; allowed: for Aurora MySQL 3\.10\.3, one of .*db\.r7g\.large.* \[rule aurora-mysql-instance-class; source https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/Concepts\.DBInstanceClass\.SupportAurora\.html \(checked 2026-12-01\)\]$/,
  );
  assert.match(
    describeViolation(byRule("alb-ssl-policy") as ProviderViolation),
    /sslPolicy: got "ELBSecurityPolicy-TLS13-2021"; allowed: one of .* \[rule alb-ssl-policy; source https:\/\/docs\.aws\.amazon\.com\/elasticloadbalancing\/latest\/application\/describe-ssl-policies\.html \(checked 2026-12-01\)\]$/,
  );
  assert.match(
    describeViolation(byRule("aws-typed-input") as ProviderViolation),
    /transitEncryptionMode: got "strict"; allowed: one of preferred, required \[rule aws-typed-input; source @pulumi\/aws 7\.48\.0 typings, ReplicationGroupArgs\.transitEncryptionMode\]$/,
  );
  assert.match(
    describeViolation(byRule("kubernetes-openapi-schema") as ProviderViolation),
    /imagePullPolicy: got "Sometimes"; allowed: .*"Always", "IfNotPresent", "Never".* \[rule kubernetes-openapi-schema; source kubernetes-models/,
  );
});
