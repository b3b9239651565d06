// A test program: the real Crest program plus one role policy that allows everything, as a careless
// change would add it. Its document names the VPC, so a preview cannot read it; only the plan's
// resolved pass can. test/policies/resolvedPass.test.ts plans it as a project of its own.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import crest = require("../../../stacks/index");

export = async () => {
  const outputs = await crest();
  new aws.iam.RolePolicy("injected-admin", {
    role: `crest-${pulumi.getStack()}-app-api`,
    policy: pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "ec2:DescribeVpcs",
          Resource: pulumi.interpolate`arn:aws:ec2:*:*:vpc/${outputs.vpcId}`,
        },
        { Effect: "Allow", Action: "*", Resource: "*" },
      ],
    }),
  });
  return outputs;
};
