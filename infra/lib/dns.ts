import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Problem } from "./problems";
import { allowed } from "./schema";

/**
 * Names, certificates and alias records shared by the load balancer and the CDN: the public API
 * name is served by CloudFront, and CloudFront reaches the ALB as `origin.<api name>`, a name the
 * ALB's own certificate covers.
 */

/** ACM puts a certificate's first name in the subject CN, which RFC 5280 caps at 64 characters. */
export const acmFirstNameMaxLength = 64;
const originLabel = "origin";

/** The host name CloudFront connects to: `origin.<domainName>`. */
export function originDomainName(domainName: string): string {
  return `${originLabel}.${domainName}`;
}

/** The longest API name whose `origin.` name still fits a certificate's first name. */
export const apiDomainNameMaxLength = acmFirstNameMaxLength - originLabel.length - 1;

const dnsLabel = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
const dnsName = new RegExp(`^(${dnsLabel}\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`);

export function domainNameProblems(path: string, value: string, maxLength: number, why: string): Problem[] {
  if (dnsName.test(value) && value.length <= maxLength) return [];
  return [
    {
      path,
      value,
      allowed:
        "a lower-case DNS name of two or more labels (letters, digits and inner hyphens, 1–63 characters " +
        `each), at most ${maxLength} characters (${why})`,
    },
  ];
}

/** Route 53 hosted zone ids are `Z` and up to 31 upper-case letters or digits (API: at most 32). */
export function hostedZoneIdProblems(path: string, value: string): Problem[] {
  if (/^Z[A-Z0-9]{1,31}$/.test(value)) return [];
  return [
    {
      path,
      value,
      allowed:
        'a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ" (Z and up to 31 upper-case letters or digits, no "/hostedzone/" prefix)',
    },
  ];
}

export interface DnsValidatedCertificateArgs {
  /** The one name the certificate covers. */
  readonly domainName: string;
  /** Public hosted zone that holds `domainName`; the validation record goes there. */
  readonly hostedZoneId: string;
}

/**
 * An ACM certificate for one name, proved through the CNAME record ACM asks for. RSA 2048 rather
 * than ECDSA: the mini-program's oldest phones verify RSA chains everywhere. Returns the ARN only
 * once ACM has issued the certificate, so a listener or distribution never points at a pending one.
 * `provider` places the certificate (CloudFront needs us-east-1); the record is global.
 */
export function dnsValidatedCertificate(
  name: string,
  args: DnsValidatedCertificateArgs,
  opts: { parent: pulumi.Resource; provider?: pulumi.ProviderResource },
): pulumi.Output<string> {
  const certificate = new aws.acm.Certificate(
    name,
    {
      domainName: args.domainName,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      tags: { Name: args.domainName },
    },
    opts,
  );
  const challenge = certificate.domainValidationOptions.apply((options) => {
    const option = options.find((o) => o.domainName === args.domainName);
    if (!option) throw new Error(`ACM returned no DNS validation record for ${args.domainName}`);
    return option;
  });
  const record = new aws.route53.Record(
    `${name}-validation`,
    {
      zoneId: args.hostedZoneId,
      name: challenge.resourceRecordName,
      type: challenge.resourceRecordType,
      records: [challenge.resourceRecordValue],
      ttl: 300,
    },
    { parent: opts.parent },
  );
  const validation = new aws.acm.CertificateValidation(
    name,
    { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
    opts,
  );
  return validation.certificateArn;
}

export interface AliasTarget {
  /** DNS name of the load balancer or distribution. */
  readonly dnsName: pulumi.Input<string>;
  /** Its Route 53 hosted zone (the service's, not the caller's). */
  readonly zoneId: pulumi.Input<string>;
  /** Answer only while the target reports healthy targets; CloudFront aliases cannot. */
  readonly evaluateTargetHealth: boolean;
}

/** Alias records `domainName` → `target`, one per record type (A for IPv4, AAAA for IPv6). */
export function aliasRecords(
  name: string,
  args: { hostedZoneId: string; domainName: string; types: readonly ("A" | "AAAA")[]; target: AliasTarget },
  parent: pulumi.Resource,
): aws.route53.Record[] {
  return args.types.map(
    (type) =>
      new aws.route53.Record(
        `${name}-${type.toLowerCase()}`,
        {
          zoneId: args.hostedZoneId,
          name: args.domainName,
          type,
          aliases: [
            {
              name: args.target.dnsName,
              zoneId: args.target.zoneId,
              evaluateTargetHealth: args.target.evaluateTargetHealth,
            },
          ],
        },
        { parent },
      ),
  );
}

/** `domainNameProblems` as a schema: a DNS name of at most `maxLength` characters. */
export function domainNameSchema(maxLength: number, why: string) {
  return z.string(allowed('a DNS name such as "api.example.com"')).superRefine((value, ctx) => {
    for (const p of domainNameProblems("", value, maxLength, why))
      ctx.addIssue({ code: "custom", message: p.allowed });
  });
}

/** `hostedZoneIdProblems` as a schema. */
export const hostedZoneIdSchema = z
  .string(allowed('a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"'))
  .superRefine((value, ctx) => {
    for (const p of hostedZoneIdProblems("", value)) ctx.addIssue({ code: "custom", message: p.allowed });
  });
