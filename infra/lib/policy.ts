import * as pulumi from "@pulumi/pulumi";

/** One policy statement; values may be outputs, e.g. the ARN of a bucket not created yet. */
export type Statement = Record<string, unknown>;

/** The policy as JSON, once every ARN in it is known. */
export function policyDocument(statements: readonly Statement[]): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * Denies any request that is not HTTPS with TLS 1.2 or later, whoever sends it. An explicit Deny
 * outranks every Allow, so no statement or grant added later can reopen plain HTTP.
 */
export function tlsOnlyStatements(bucketArn: pulumi.Input<string>): Statement[] {
  const resources = [bucketArn, pulumi.interpolate`${bucketArn}/*`];
  return [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: resources,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyTlsBelow12",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: resources,
      Condition: { NumericLessThan: { "s3:TlsVersion": 1.2 } },
    },
  ];
}
