import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logBucket } from "../lib/buckets";
import { aliasRecords, dnsValidatedCertificate, originDomainName } from "../lib/dns";
import { EncryptionKey } from "../lib/encryptionKey";
import { GeneratedSecret } from "../lib/generatedSecret";
import { cloudFrontOriginFacingPrefixList, tls } from "../lib/pins";
import { assertValidArgs } from "../lib/problems";
import { elbAccessLogStatements } from "./accessLogs";
import {
  type ApiOrigin,
  type LoadBalancerArgs,
  loadBalancerArgsProblems,
  loadBalancerSettingsSchema,
} from "./args";

export {
  type ApiOrigin,
  type LoadBalancerArgs,
  type LoadBalancerSettings,
  loadBalancerArgsProblems,
  loadBalancerSettingsSchema,
} from "./args";

const token = "crest:edge:LoadBalancer";

/**
 * TLS 1.3 and 1.2 with forward-secret AEAD ciphers only (ECDHE with AES-GCM); no TLS 1.0/1.1. The
 * load balancer's only client is CloudFront, which speaks TLS 1.2 with these ciphers to origins.
 * AWS now also offers hybrid post-quantum variants; they add nothing for a CloudFront-only
 * listener, and the policy pack's allow-list does not name them yet.
 */
const sslPolicy = tls.albSslPolicy.value;

/** Key prefix of the access logs in their bucket. */
const accessLogPrefix = "alb";

/**
 * The header CloudFront adds to every origin request and the ALB requires, so the ALB answers
 * CloudFront (and with it WAF) only. ALB compares header values case-insensitively, with `*` and
 * `?` as wildcards: the value is 64 characters from letters, digits, `-` and `_`.
 */
const originVerifyHeaderName = "X-Crest-Origin-Verify";

/**
 * The API's internet-facing Application Load Balancer, in the public subnets of every AZ, behind
 * CloudFront. Its security group admits HTTPS from CloudFront's origin-facing prefix list only, and
 * the HTTPS listener answers 403 unless a request carries CloudFront's secret origin header. Invalid header fields are dropped and request smuggling is refused
 * (`strictest` desync mitigation); access logs go to a bucket of its own. Pods are registered
 * into the target group by the workload's TargetGroupBinding (AWS Load Balancer Controller), so
 * the load balancer itself is declared here, where the policy pack can review it.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  public readonly loadBalancerArn: pulumi.Output<string>;
  public readonly loadBalancerDnsName: pulumi.Output<string>;
  /** The load balancer's own group; API pods must admit it on the target port. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** For the workload's TargetGroupBinding. */
  public readonly targetGroupArn: pulumi.Output<string>;
  public readonly certificateArn: pulumi.Output<string>;
  public readonly accessLogBucketName: pulumi.Output<string>;
  /** Secrets Manager secret holding the origin header value, for rotation and audits. */
  public readonly originVerifySecretArn: pulumi.Output<string>;
  /** What the CDN needs to reach this load balancer (the header value is a Pulumi secret). */
  public readonly apiOrigin: ApiOrigin;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token, name, {}, opts);
    assertValidArgs(token, name, loadBalancerArgsProblems(args));
    const protect = args.protect ?? true;
    const settings = loadBalancerSettingsSchema.parse(args);
    const { targetPort } = settings;
    const origin = originDomainName(args.domainName);

    const accessLogs = logBucket(
      `${name}-access-logs`,
      {
        protect,
        retentionDays: settings.accessLogRetentionDays,
        allow: (arn) =>
          elbAccessLogStatements(arn, {
            region: args.region,
            accountId: args.accountId,
            prefix: accessLogPrefix,
          }),
      },
      this,
    );
    // CloudFront reaches the origin over HTTPS only (https-only origin policy), so port 80 stays
    // closed; the prefix list's weight of 55 leaves room for one such rule in a group anyway.
    const cloudFront = aws.ec2.getManagedPrefixListOutput(
      { name: cloudFrontOriginFacingPrefixList.value },
      { parent: this },
    );
    const securityGroup = new aws.ec2.SecurityGroup(
      name,
      {
        vpcId: args.vpcId,
        description: "Internet-facing API load balancer: HTTPS from CloudFront only, API pods out",
        ingress: [
          {
            description: "HTTPS from CloudFront's origin-facing servers (AWS managed prefix list)",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            prefixListIds: [cloudFront.id],
          },
        ],
        egress: [
          {
            description: "Requests and health checks to API pods",
            protocol: "tcp",
            fromPort: targetPort,
            toPort: targetPort,
            cidrBlocks: [args.vpcCidr],
          },
        ],
        tags: { Name: name },
      },
      { parent: this },
    );
    const loadBalancer = new aws.lb.LoadBalancer(
      name,
      {
        // A prefix, not the Pulumi name: ALB names are capped at 32 characters.
        namePrefix: "api-",
        loadBalancerType: "application",
        internal: false,
        ipAddressType: "ipv4",
        subnets: [...args.publicSubnetIds],
        securityGroups: [securityGroup.id],
        dropInvalidHeaderFields: true,
        desyncMitigationMode: "strictest",
        enableDeletionProtection: protect,
        accessLogs: { bucket: accessLogs.bucket.bucket, prefix: accessLogPrefix, enabled: true },
        tags: { Name: name },
      },
      // ELB checks that it may write to the bucket when logging is switched on.
      { parent: this, dependsOn: [accessLogs.policy] },
    );
    const targetGroup = new aws.lb.TargetGroup(
      name,
      {
        namePrefix: "api-",
        targetType: "ip",
        protocol: "HTTP",
        protocolVersion: "HTTP1",
        port: targetPort,
        vpcId: args.vpcId,
        deregistrationDelay: settings.deregistrationDelaySeconds,
        slowStart: settings.slowStartSeconds,
        healthCheck: {
          protocol: "HTTP",
          port: "traffic-port",
          path: settings.healthCheckPath,
          matcher: "200",
          interval: 10,
          timeout: 5,
          healthyThreshold: 2,
          unhealthyThreshold: 3,
        },
        tags: { Name: name },
      },
      { parent: this },
    );

    const certificateArn = dnsValidatedCertificate(
      `${name}-origin`,
      { domainName: origin, hostedZoneId: args.hostedZoneId },
      { parent: this },
    );
    const https = new aws.lb.Listener(
      `${name}-https`,
      {
        loadBalancerArn: loadBalancer.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy,
        certificateArn,
        // Anything that did not come through CloudFront is refused.
        defaultActions: [
          {
            type: "fixed-response",
            fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "Forbidden" },
          },
        ],
      },
      { parent: this },
    );
    const verifyKey = new EncryptionKey(
      `${name}-origin-verify`,
      {
        description: `Encrypts the CloudFront origin header secret of ${name}`,
        accountId: args.accountId,
        alias: `${name}-origin-verify`,
      },
      { parent: this },
    );
    const verifySecret = new GeneratedSecret(
      `${name}-origin-verify`,
      {
        description: `Value of ${originVerifyHeaderName}, the header CloudFront sends and ${name} requires`,
        kmsKeyId: verifyKey.keyArn,
        length: 64,
        specialCharacters: "-_",
        rotationException:
          "CloudFront and the listener rule take the value from Pulumi: replace the password in a deploy to rotate both at once",
      },
      { parent: this },
    );
    new aws.lb.ListenerRule(
      `${name}-from-cloudfront`,
      {
        listenerArn: https.arn,
        priority: 1,
        conditions: [
          { httpHeader: { httpHeaderName: originVerifyHeaderName, values: [verifySecret.password] } },
        ],
        actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
      },
      { parent: this },
    );
    aliasRecords(
      `${name}-origin`,
      {
        hostedZoneId: args.hostedZoneId,
        domainName: origin,
        types: ["A"],
        target: { dnsName: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true },
      },
      this,
    );

    this.loadBalancerArn = loadBalancer.arn;
    this.loadBalancerDnsName = loadBalancer.dnsName;
    this.securityGroupId = securityGroup.id;
    this.targetGroupArn = targetGroup.arn;
    this.certificateArn = certificateArn;
    this.accessLogBucketName = accessLogs.bucket.bucket;
    this.originVerifySecretArn = verifySecret.secretArn;
    this.apiOrigin = {
      domainName: origin,
      verifyHeaderName: originVerifyHeaderName,
      verifyHeaderValue: verifySecret.password,
    };
    this.registerOutputs({
      loadBalancerArn: this.loadBalancerArn,
      loadBalancerDnsName: this.loadBalancerDnsName,
      securityGroupId: this.securityGroupId,
      targetGroupArn: this.targetGroupArn,
      certificateArn: this.certificateArn,
      accessLogBucketName: this.accessLogBucketName,
      originVerifySecretArn: this.originVerifySecretArn,
      originDomainName: origin,
    });
  }
}
