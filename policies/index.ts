// The policy pack's entry point: `pulumi preview --policy-pack policies` runs this file, and so does the
// offline plan. Constructing the PolicyPack serves it at once, so nothing else may import this module.
import { PolicyPack } from "@pulumi/policy";
import { crestPolicies, packContext } from "./pack";

new PolicyPack("crest", {
  displayName: "Crest platform review",
  description:
    "What a senior reviewer checks in a Crest stack: security, reliability, Kubernetes, cost, tagging.",
  policies: crestPolicies(packContext()),
});
