import { type Rule, stackRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, items, show, unknown } from "../../lib/values";

/** EBS takes `encrypted` as a boolean; launch templates carry it as the string "true". */
const isOn = (value: unknown) => value === true || value === "true" || value === unknown;

export const nodeRootVolumeEncrypted = stackRule({
  id: "security-node-volumes-encrypted",
  family: "data stores",
  controls: ["FSBP EC2.3", "CKV_AWS_8"],
  concern: "security",
  description:
    "Node volumes are encrypted: every EKS node group runs from a launch template of this stack whose block " +
    "device mappings declare the root volume with ebs.encrypted, and no launch template maps an unencrypted " +
    "EBS volume (images, pod scratch space and logs land there). Fix: give the node group a launch template " +
    'with blockDeviceMappings [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeType: "gp3" } }].',
  check: (stack, _config, report) => {
    for (const template of stack.ofType(t.launchTemplate)) {
      const mappings = items(template.props.blockDeviceMappings);
      if (mappings === unknown) continue;
      for (const mapping of mappings) {
        const ebs = at(mapping, "ebs");
        if (ebs !== undefined && ebs !== null && !isOn(at(ebs, "encrypted"))) {
          report(
            `maps ${show(at(mapping, "deviceName"))} to an EBS volume with encrypted ${show(at(ebs, "encrypted"))}`,
            template.urn,
          );
        }
      }
    }
    for (const group of stack.ofType(t.eksNodeGroup)) {
      if (group.props.launchTemplate === undefined || group.props.launchTemplate === null) {
        report(
          "has no launch template: its root volume's encryption is left to the account's EBS default",
          group.urn,
        );
        continue;
      }
      for (const template of stack.referencedBy(group, "launchTemplate")) {
        const mappings = items(template.props.blockDeviceMappings);
        if (mappings !== unknown && !mappings.some((m) => at(m, "ebs") !== undefined)) {
          report(
            `launch template ${template.name} declares no EBS root volume, so the AMI's unencrypted default applies`,
            group.urn,
          );
        }
      }
    }
  },
});

export const nodeVolumeRules: Rule[] = [nodeRootVolumeEncrypted];
