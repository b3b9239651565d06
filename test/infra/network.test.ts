import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { Network, networkArgsProblems } from "../../infra/network";
import { recordProgram } from "../../tools/plan/run";
import { ofType, one } from "../support/recording";

const args = {
  accountId: "123456789012",
  region: "eu-west-1",
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  vpcCidr: "10.30.0.0/16",
};

// Programs run one at a time (the Pulumi runtime is global); tests await this one first.
const recording = recordProgram("crest", "test", () => {
  new Network("net", { ...args, natGateways: "single", flowLogRetentionDays: 90 });
});

test("the component is parent of every resource it declares", async () => {
  const { resources } = await recording;
  const component = one({ resources }, "crest:network:Network");
  const children = resources.filter((r) => r.custom);
  assert.ok(children.length > 0);
  for (const child of children) {
    assert.ok(child.urn.includes("crest:network:Network$"), `${child.urn} is not under the Network`);
  }
  assert.equal(one({ resources }, "aws:ec2/vpc:Vpc").parent, component.urn);
});

test("a single NAT gateway serves every private route table", async () => {
  const rec = await recording;
  assert.equal(ofType(rec, "aws:ec2/natGateway:NatGateway").length, 1);
  const privateTables = ofType(rec, "aws:ec2/routeTable:RouteTable").filter((r) =>
    r.name.includes("-private-"),
  );
  assert.equal(privateTables.length, 3);
  const nat = one(rec, "aws:ec2/natGateway:NatGateway");
  for (const table of privateTables) assert.ok(table.dependencies.includes(nat.urn));
});

test("isolated subnets have no route to the internet", async () => {
  const rec = await recording;
  const isolated = one(rec, "aws:ec2/routeTable:RouteTable", "net-isolated");
  assert.equal(isolated.inputs.routes, undefined);
});

test("the default security group is stripped and flow logs are encrypted and kept as asked", async () => {
  const rec = await recording;
  const defaultGroup = one(rec, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
  assert.deepEqual(defaultGroup.inputs.ingress, []);
  assert.deepEqual(defaultGroup.inputs.egress, []);
  const logGroup = one(rec, "aws:cloudwatch/logGroup:LogGroup");
  assert.equal(logGroup.inputs.retentionInDays, 90);
  assert.ok(logGroup.dependencies.some((urn) => urn.endsWith("aws:kms/key:Key::net-flow-logs")));
  assert.equal(one(rec, "aws:kms/key:Key").inputs.enableKeyRotation, true);
  assert.equal(one(rec, "aws:ec2/flowLog:FlowLog").inputs.trafficType, "ALL");
});

test("the S3 gateway endpoint serves the private and isolated route tables", async () => {
  const rec = await recording;
  const endpoint = one(rec, "aws:ec2/vpcEndpoint:VpcEndpoint");
  assert.equal(endpoint.inputs.serviceName, "com.amazonaws.eu-west-1.s3");
  assert.equal((endpoint.inputs.routeTableIds as unknown[]).length, 4);
});

test("argument checks name the field, the value and what is allowed", () => {
  assert.deepEqual(
    networkArgsProblems({
      ...args,
      availabilityZones: ["eu-west-1a", "us-east-1b"],
      vpcCidr: "10.30.0.1/16",
    }),
    [
      {
        path: "availabilityZones[1]",
        value: "us-east-1b",
        allowed: 'an AZ name of region eu-west-1, e.g. "eu-west-1a"',
      },
      {
        path: "vpcCidr",
        value: "10.30.0.1/16",
        allowed:
          'a private (RFC 1918) IPv4 network address with a prefix from /16 to /20, e.g. "10.20.0.0/16" ' +
          '(the subnet plan needs 3 tiers in up to 6 AZs); did you mean "10.30.0.0/16"?',
      },
    ],
  );
  assert.deepEqual(
    networkArgsProblems({ ...args, flowLogRetentionDays: 10 })[0]?.path,
    "flowLogRetentionDays",
  );
  assert.deepEqual(networkArgsProblems(args), []);
});

test("bad arguments stop the component before any child is declared", async () => {
  await recording;
  const registered: string[] = [];
  await assert.rejects(
    recordProgram("crest", "bad", () => new Network("bad", { ...args, vpcCidr: "8.8.8.0/24" }), {
      onRegister: (r) => registered.push(r.type),
    }),
    (error: Error) =>
      pulumi.InputPropertiesError.isInstance(error) &&
      error.message.startsWith(
        'invalid arguments for crest:network:Network "bad":\nvpcCidr: got "8.8.8.0/24"',
      ),
  );
  assert.deepEqual(registered, ["pulumi:pulumi:Stack", "crest:network:Network"]);
});
