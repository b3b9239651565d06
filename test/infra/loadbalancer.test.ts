import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { appHttpPort } from "../../app/src/contract/runtimeConfig";
import { LoadBalancer, type LoadBalancerArgs, loadBalancerArgsProblems } from "../../infra/loadbalancer";
import { elbLogDeliveryPrincipal } from "../../infra/loadbalancer/accessLogs";
import type { ComputedOutputs, RecordedResource, Recording } from "../../tools/plan/recorder";
import { recordProgram } from "../../tools/plan/run";
import { ofType, one } from "../support/recording";

const args: LoadBalancerArgs = {
  accountId: "123456789012",
  region: "eu-west-1",
  vpcId: "vpc-0123456789abcdef0",
  vpcCidr: "10.20.0.0/16",
  publicSubnetIds: ["subnet-public-a", "subnet-public-b", "subnet-public-c"],
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  domainName: "api.example.com",
  hostedZoneId: "Z0123456789ABCDEFGHIJ",
  targetPort: appHttpPort,
};

const canary = "canary-origin-secret-123";

// ARNs and names a preview would not know yet, made known so the wiring between resources shows.
const known: ComputedOutputs = ({ type, name, inputs }) => {
  switch (type) {
    case "random:index/randomPassword:RandomPassword":
      return { result: canary };
    case "aws:s3/bucket:Bucket":
      return { bucket: name, arn: `arn:aws:s3:::${name}` };
    case "aws:lb/loadBalancer:LoadBalancer":
      return { arn: `arn:alb/${name}`, dnsName: `${name}.elb.example`, zoneId: "ZALBZONE" };
    case "aws:lb/targetGroup:TargetGroup":
    case "aws:lb/listener:Listener":
      return { arn: `arn:${type.split(":").pop()}/${name}` };
    case "aws:acm/certificate:Certificate":
      return {
        arn: `arn:acm/${name}`,
        domainValidationOptions: [
          {
            domainName: inputs.domainName,
            resourceRecordName: `_token.${inputs.domainName}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: "_answer.acm-validations.aws.",
          },
        ],
      };
    case "aws:route53/record:Record":
      return { fqdn: String(inputs.name).replace(/\.$/, "") };
    default:
      return {};
  }
};

const outputsOf = (lb: LoadBalancer) => ({
  targetGroupArn: lb.targetGroupArn,
  certificateArn: lb.certificateArn,
  originDomainName: lb.apiOrigin.domainName,
  originVerifyHeaderName: lb.apiOrigin.verifyHeaderName,
  originVerifyHeaderValue: lb.apiOrigin.verifyHeaderValue,
});

const prod = recordProgram("crest", "test", () => outputsOf(new LoadBalancer("lb", args)), {
  computedOutputs: known,
});
const dev = prod.then(() =>
  recordProgram(
    "crest",
    "test",
    () =>
      new LoadBalancer("lb", {
        ...args,
        publicSubnetIds: args.publicSubnetIds.slice(0, 2),
        availabilityZones: args.availabilityZones.slice(0, 2),
        protect: false,
        targetPort: 3000,
        healthCheckPath: "/ready",
        deregistrationDelaySeconds: 10,
        slowStartSeconds: 0,
        accessLogRetentionDays: 30,
      }),
    { computedOutputs: known },
  ),
);

/** The resource of `type` whose input `key` equals `value`. */
function where(rec: Recording, type: string, key: string, value: unknown): RecordedResource {
  const found = ofType(rec, type).filter((r) => r.inputs[key] === value);
  assert.equal(found.length, 1, `expected one ${type} with ${key}=${String(value)}, found ${found.length}`);
  return found[0] as RecordedResource;
}

const statementsOf = (policy: RecordedResource) =>
  (JSON.parse(policy.inputs.policy as string) as { Statement: Record<string, unknown>[] }).Statement;

test("an internet-facing ALB in every public subnet, under the component", async () => {
  const rec = await prod;
  const component = one(rec, "crest:edge:LoadBalancer");
  for (const r of rec.resources.filter((r) => r.custom)) {
    assert.ok(r.urn.includes("crest:edge:LoadBalancer$"), `${r.urn} is not under the component`);
  }
  const alb = one(rec, "aws:lb/loadBalancer:LoadBalancer");
  assert.equal(alb.parent, component.urn);
  assert.equal(alb.inputs.loadBalancerType, "application");
  assert.equal(alb.inputs.internal, false);
  assert.deepEqual(alb.inputs.subnets, ["subnet-public-a", "subnet-public-b", "subnet-public-c"]);
  assert.equal(alb.inputs.dropInvalidHeaderFields, true);
  assert.equal(alb.inputs.desyncMitigationMode, "strictest");
});

test("deletion protection is on by default and off only when asked", async () => {
  assert.equal(one(await prod, "aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection, true);
  assert.equal(one(await dev, "aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection, false);
});

test("access logs go to a bucket of their own that only ELB may write to, and the ALB waits for that grant", async () => {
  const rec = await prod;
  const alb = one(rec, "aws:lb/loadBalancer:LoadBalancer");
  assert.deepEqual(alb.inputs.accessLogs, { bucket: "lb-access-logs", prefix: "alb", enabled: true });
  const policy = where(rec, "aws:s3/bucketPolicy:BucketPolicy", "bucket", "lb-access-logs");
  assert.ok(alb.dependencies.includes(policy.urn));
  const statements = statementsOf(policy);
  assert.deepEqual(
    statements.filter((s) => s.Effect === "Allow"),
    [
      {
        Sid: "ElbAccessLogDelivery",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::156460612806:root" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::lb-access-logs/alb/AWSLogs/123456789012/*",
      },
    ],
  );
  assert.deepEqual(
    statements.filter((s) => s.Effect === "Deny").map((s) => s.Sid),
    ["DenyInsecureTransport", "DenyTlsBelow12"],
  );
  // The bucket is the load balancer's only one. ALB access logs can be delivered only to SSE-S3 buckets.
  const [encryption] = one(
    rec,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  ).inputs.rules as Record<string, unknown>[];
  assert.deepEqual(encryption, { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } });
  const block = one(rec, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
  assert.deepEqual(
    [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
    [true, true, true, true],
  );
  assert.deepEqual(one(rec, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration, {
    status: "Enabled",
  });
  const [rule] = one(rec, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs
    .rules as Record<string, unknown>[];
  assert.deepEqual(rule?.expiration, { days: 365 });
  const bucket = one(rec, "aws:s3/bucket:Bucket");
  assert.equal(bucket.protect, true);
  assert.equal(bucket.inputs.forceDestroy, false);
});

test("log delivery is granted to the regional ELB account, or to the service principal in newer regions", () => {
  assert.deepEqual(elbLogDeliveryPrincipal("us-east-1"), { AWS: "arn:aws:iam::127311923021:root" });
  assert.deepEqual(elbLogDeliveryPrincipal("ap-northeast-1"), { AWS: "arn:aws:iam::582318560864:root" });
  // Melbourne opened in 2023, after ELB moved to a service principal.
  assert.deepEqual(elbLogDeliveryPrincipal("ap-southeast-4"), {
    Service: "logdelivery.elasticloadbalancing.amazonaws.com",
  });
});

test("HTTPS serves the validated origin certificate with a TLS 1.2+ policy and refuses all but CloudFront", async () => {
  const rec = await prod;
  const https = where(rec, "aws:lb/listener:Listener", "port", 443);
  assert.equal(https.inputs.protocol, "HTTPS");
  assert.equal(https.inputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-Res-2021-06");
  assert.equal(https.inputs.certificateArn, "arn:acm/lb-origin");
  assert.ok(https.dependencies.includes(one(rec, "aws:acm/certificateValidation:CertificateValidation").urn));
  assert.deepEqual(https.inputs.defaultActions, [
    {
      type: "fixed-response",
      fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "Forbidden" },
    },
  ]);
  const rule = one(rec, "aws:lb/listenerRule:ListenerRule");
  assert.equal(rule.inputs.listenerArn, "arn:Listener/lb-https");
  assert.equal(rule.inputs.priority, 1);
  assert.deepEqual(rule.inputs.conditions, [
    { httpHeader: { httpHeaderName: "X-Crest-Origin-Verify", values: ["[secret]"] } },
  ]);
  assert.deepEqual(rule.inputs.actions, [{ type: "forward", targetGroupArn: "arn:TargetGroup/lb" }]);
});

test("there is no HTTP listener: CloudFront reaches the origin over HTTPS only", async () => {
  const rec = await prod;
  assert.deepEqual(
    ofType(rec, "aws:lb/listener:Listener").map((l) => [l.inputs.port, l.inputs.protocol]),
    [[443, "HTTPS"]],
  );
});

test("the security group admits HTTPS from CloudFront's origin-facing prefix list only and sends only to the pod port in the VPC", async () => {
  const rec = await prod;
  const group = one(rec, "aws:ec2/securityGroup:SecurityGroup");
  const ingress = group.inputs.ingress as Record<string, unknown>[];
  assert.deepEqual(
    ingress.map(({ protocol, fromPort, toPort, cidrBlocks, ipv6CidrBlocks }) => ({
      protocol,
      fromPort,
      toPort,
      cidrBlocks,
      ipv6CidrBlocks,
    })),
    [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: undefined, ipv6CidrBlocks: undefined }],
  );
  // The plan answers the prefix-list look-up by name with a stand-in id, as AWS would with its pl-….
  assert.match(String(ingress[0]?.prefixListIds), /^pl-[0-9a-f]{8}$/);
  assert.deepEqual(
    (group.inputs.egress as Record<string, unknown>[]).map(({ protocol, fromPort, toPort, cidrBlocks }) => ({
      protocol,
      fromPort,
      toPort,
      cidrBlocks,
    })),
    [{ protocol: "tcp", fromPort: appHttpPort, toPort: appHttpPort, cidrBlocks: ["10.20.0.0/16"] }],
  );
  assert.equal(group.inputs.vpcId, args.vpcId);
});

test("the target group takes pod IPs over HTTP, probes /healthz, drains briefly and warms new pods up", async () => {
  const rec = await prod;
  const group = one(rec, "aws:lb/targetGroup:TargetGroup");
  assert.equal(group.inputs.targetType, "ip");
  assert.equal(group.inputs.protocol, "HTTP");
  assert.equal(group.inputs.port, appHttpPort);
  assert.equal(group.inputs.vpcId, args.vpcId);
  assert.equal(group.inputs.deregistrationDelay, 30);
  assert.equal(group.inputs.slowStart, 30);
  assert.deepEqual(group.inputs.healthCheck, {
    protocol: "HTTP",
    port: "traffic-port",
    path: "/healthz",
    matcher: "200",
    interval: 10,
    timeout: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 3,
  });
  assert.equal((await prod).outputs.targetGroupArn, "arn:TargetGroup/lb");
});

test("the origin name gets a DNS-validated certificate and an alias to the ALB", async () => {
  const rec = await prod;
  const certificate = one(rec, "aws:acm/certificate:Certificate");
  assert.equal(certificate.inputs.domainName, "origin.api.example.com");
  assert.equal(certificate.inputs.validationMethod, "DNS");
  assert.equal(certificate.inputs.subjectAlternativeNames, undefined);
  const challenge = where(rec, "aws:route53/record:Record", "type", "CNAME");
  assert.deepEqual(
    { zone: challenge.inputs.zoneId, name: challenge.inputs.name, records: challenge.inputs.records },
    {
      zone: "Z0123456789ABCDEFGHIJ",
      name: "_token.origin.api.example.com.",
      records: ["_answer.acm-validations.aws."],
    },
  );
  assert.deepEqual(one(rec, "aws:acm/certificateValidation:CertificateValidation").inputs, {
    certificateArn: "arn:acm/lb-origin",
    validationRecordFqdns: ["_token.origin.api.example.com"],
  });
  const alias = where(rec, "aws:route53/record:Record", "type", "A");
  assert.equal(alias.inputs.name, "origin.api.example.com");
  assert.equal(alias.inputs.zoneId, "Z0123456789ABCDEFGHIJ");
  assert.deepEqual(alias.inputs.aliases, [
    { name: "lb.elb.example", zoneId: "ZALBZONE", evaluateTargetHealth: true },
  ]);
  assert.equal((await prod).outputs.originDomainName, "origin.api.example.com");
});

test("the origin header secret is generated, kept in Secrets Manager under its own key, and never shown", async () => {
  const rec = await prod;
  // The rendered plan (what --json and the reports are made of); the raw wire graph is never written.
  const rendered = JSON.stringify({ resources: rec.resources, outputs: rec.outputs });
  assert.ok(!rendered.includes(canary), "the origin secret leaked into the plan");
  const password = one(rec, "random:index/randomPassword:RandomPassword");
  assert.equal(password.inputs.length, 64);
  // ALB header conditions treat * and ? as wildcards: the value contains neither.
  assert.equal(password.inputs.overrideSpecial, "-_");
  assert.equal(one(rec, "aws:secretsmanager/secret:Secret").inputs.kmsKeyId, "<computed>");
  assert.equal(one(rec, "aws:kms/key:Key").inputs.enableKeyRotation, true);
  assert.equal((await prod).outputs.originVerifyHeaderValue, "[secret]");
  assert.equal((await prod).outputs.originVerifyHeaderName, "X-Crest-Origin-Verify");
});

test("the dev tier takes its own port, probe, timings and retention and can be destroyed", async () => {
  const rec = await dev;
  const alb = one(rec, "aws:lb/loadBalancer:LoadBalancer");
  assert.deepEqual(alb.inputs.subnets, ["subnet-public-a", "subnet-public-b"]);
  const group = one(rec, "aws:lb/targetGroup:TargetGroup");
  assert.equal(group.inputs.port, 3000);
  assert.equal((group.inputs.healthCheck as Record<string, unknown>).path, "/ready");
  assert.equal(group.inputs.deregistrationDelay, 10);
  assert.equal(group.inputs.slowStart, 0);
  const egress = one(rec, "aws:ec2/securityGroup:SecurityGroup").inputs.egress as Record<string, unknown>[];
  assert.deepEqual(
    egress.map((e) => [e.fromPort, e.toPort]),
    [[3000, 3000]],
  );
  const [rule] = one(rec, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs
    .rules as Record<string, unknown>[];
  assert.deepEqual(rule?.expiration, { days: 30 });
  const bucket = one(rec, "aws:s3/bucket:Bucket");
  assert.equal(bucket.protect, false);
  assert.equal(bucket.inputs.forceDestroy, true);
});

test("argument checks name the field, the value and what is allowed", () => {
  assert.deepEqual(loadBalancerArgsProblems(args), []);
  const problems = (overrides: Partial<LoadBalancerArgs>) =>
    loadBalancerArgsProblems({ ...args, ...overrides });
  assert.deepEqual(problems({ accountId: "12345" }), [
    { path: "accountId", value: "12345", allowed: "a 12-digit AWS account id" },
  ]);
  assert.deepEqual(
    problems({ region: "eu-west", availabilityZones: ["eu-westa", "eu-westb"], publicSubnetIds: ["a", "b"] }),
    [{ path: "region", value: "eu-west", allowed: 'an AWS region name, e.g. "eu-west-1"' }],
  );
  assert.deepEqual(problems({ availabilityZones: ["eu-west-1a"], publicSubnetIds: ["subnet-a"] }), [
    {
      path: "availabilityZones",
      value: ["eu-west-1a"],
      allowed: "2 to 6 availability zones (an ALB needs subnets in at least 2; the network spans at most 6)",
    },
  ]);
  assert.deepEqual(problems({ publicSubnetIds: ["subnet-a", "subnet-b"] }), [
    {
      path: "publicSubnetIds",
      value: "2 subnet ids",
      allowed: "one public subnet per availability zone: 3, in the order of availabilityZones",
    },
  ]);
  assert.equal(problems({ vpcCidr: "10.20.0.0/8" })[0]?.path, "vpcCidr");
  const tooLong = `${"a".repeat(50)}.example.com`;
  for (const domainName of [
    "API.example.com",
    "localhost",
    "-api.example.com",
    "api..example.com",
    tooLong,
  ]) {
    assert.deepEqual(problems({ domainName }), [
      {
        path: "domainName",
        value: domainName,
        allowed:
          "a lower-case DNS name of two or more labels (letters, digits and inner hyphens, 1–63 characters each), " +
          "at most 57 characters (origin.<domainName> must fit the 64 characters ACM allows a certificate's first name)",
      },
    ]);
  }
  for (const hostedZoneId of ["/hostedzone/Z0123456789ABCDEFGHIJ", "z0123", "Z"]) {
    assert.deepEqual(problems({ hostedZoneId }), [
      {
        path: "hostedZoneId",
        value: hostedZoneId,
        allowed:
          'a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ" (Z and up to 31 upper-case letters or digits, no "/hostedzone/" prefix)',
      },
    ]);
  }
  assert.deepEqual(problems({ targetPort: 70000 }), [
    { path: "targetPort", value: 70000, allowed: "an integer from 1 to 65535 (a TCP port)" },
  ]);
  assert.deepEqual(problems({ healthCheckPath: "readyz" }), [
    {
      path: "healthCheckPath",
      value: "readyz",
      allowed: "an absolute URL path of 1–1024 visible ASCII characters starting with / (ELB's limit)",
    },
  ]);
  assert.deepEqual(problems({ deregistrationDelaySeconds: 3601 }), [
    {
      path: "deregistrationDelaySeconds",
      value: 3601,
      allowed: "an integer from 0 to 3600 (ELB's deregistration delay range)",
    },
  ]);
  for (const slowStartSeconds of [10, 901, 30.5]) {
    assert.deepEqual(problems({ slowStartSeconds }), [
      {
        path: "slowStartSeconds",
        value: slowStartSeconds,
        allowed: "0 (off) or an integer from 30 to 900 (ELB's slow start range)",
      },
    ]);
  }
  assert.deepEqual(problems({ accessLogRetentionDays: 0 }), [
    {
      path: "accessLogRetentionDays",
      value: 0,
      allowed: "a positive integer (S3 expires objects after 1 day at the earliest)",
    },
  ]);
});

test("bad arguments stop the component before any child is declared", async () => {
  await dev;
  const registered: string[] = [];
  await assert.rejects(
    recordProgram("crest", "bad", () => new LoadBalancer("bad", { ...args, slowStartSeconds: 10 }), {
      onRegister: (r) => registered.push(r.type),
    }),
    (error: Error) =>
      pulumi.InputPropertiesError.isInstance(error) &&
      error.message.startsWith(
        'invalid arguments for crest:edge:LoadBalancer "bad":\nslowStartSeconds: got 10',
      ),
  );
  assert.deepEqual(registered, ["pulumi:pulumi:Stack", "crest:edge:LoadBalancer"]);
});
