// What an EKS node offers pods, as the EKS AL2023 AMI configures the kubelet (nodeadm):
// https://github.com/awslabs/amazon-eks-ami/blob/main/nodeadm/internal/kubelet/config.go
// (kubeReserved cpu by the core formula, memory 11 × maxPods + 255 Mi; evictionHard
// memory.available 100Mi) and nodeadm/internal/kubelet/eni-max-pods.txt (max pods per type).

export interface InstanceType {
  readonly vcpus: number;
  readonly memoryMiB: number;
  /** eni-max-pods.txt: ENIs × (IPv4 per ENI − 1) + 2, the VPC CNI's limit without prefix delegation. */
  readonly maxPods: number;
  /** Launch until the node is Ready and schedulable, for the cluster autoscaler's scale-up. */
  readonly provisioningSeconds: number;
}

/**
 * Launch to schedulable, from the cluster autoscaler's request: the Cluster Autoscaler FAQ ("How fast
 * is HPA when combined with CA?",
 * https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md) gives the one
 * published figure, "3 to 4 minutes from CA request to when pods can be scheduled on newly created
 * nodes" (on GCE). AWS publishes none per instance family, so every family takes the FAQ's low end.
 */
export const nodeProvisioningSeconds = 180;

/**
 * The node types Crest uses (infra/lib/pins.ts). vCPUs and memory: the EC2 instance type pages
 * (https://aws.amazon.com/ec2/instance-types/m7g/, /t4g/).
 */
export const instanceTypes: Readonly<Record<string, InstanceType>> = {
  "m7g.large": { vcpus: 2, memoryMiB: 8192, maxPods: 29, provisioningSeconds: nodeProvisioningSeconds },
  "m7g.xlarge": { vcpus: 4, memoryMiB: 16384, maxPods: 58, provisioningSeconds: nodeProvisioningSeconds },
  "t4g.large": { vcpus: 2, memoryMiB: 8192, maxPods: 35, provisioningSeconds: nodeProvisioningSeconds },
};

/** nodeadm's getCPUMillicoresToReserve: 6 % of the first core, 1 % of the second, 0.5 % of the next two, 0.25 % of the rest. */
export function kubeReservedMillicores(vcpus: number): number {
  const bands = [
    { cores: 1, share: 0.06 },
    { cores: 1, share: 0.01 },
    { cores: 2, share: 0.005 },
    { cores: Number.POSITIVE_INFINITY, share: 0.0025 },
  ];
  let left = vcpus;
  let reserved = 0;
  for (const band of bands) {
    const cores = Math.min(left, band.cores);
    reserved += cores * 1000 * band.share;
    left -= cores;
  }
  return Math.round(reserved);
}

/** nodeadm's getMemoryMebibytesToReserve. */
export const kubeReservedMiB = (maxPods: number) => 11 * maxPods + 255;
/** evictionHard memory.available, which the kubelet subtracts from allocatable too. */
export const evictionHardMiB = 100;

export interface Allocatable {
  readonly millicores: number;
  readonly memoryMiB: number;
  readonly pods: number;
}

export function allocatable(type: InstanceType): Allocatable {
  return {
    millicores: type.vcpus * 1000 - kubeReservedMillicores(type.vcpus),
    memoryMiB: type.memoryMiB - kubeReservedMiB(type.maxPods) - evictionHardMiB,
    pods: type.maxPods,
  };
}

/**
 * The DaemonSets on every Crest node and their requests (one pod each). Sources: the VPC CNI manifest
 * (https://github.com/aws/amazon-vpc-cni-k8s/blob/master/config/master/aws-k8s-cni.yaml, cpu 25m),
 * the EKS kube-proxy add-on (https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html,
 * cpu 100m), the secrets-store-csi-driver chart values (driver 50m/100Mi, registrar and liveness
 * probe 10m/20Mi each) and the AWS provider chart values (50m/100Mi).
 */
export const crestDaemonSets: readonly { name: string; millicores: number; memoryMiB: number }[] = [
  { name: "aws-node (VPC CNI)", millicores: 25, memoryMiB: 0 },
  { name: "kube-proxy", millicores: 100, memoryMiB: 0 },
  { name: "secrets-store-csi-driver", millicores: 70, memoryMiB: 140 },
  { name: "secrets-store-csi-driver-provider-aws", millicores: 50, memoryMiB: 100 },
];

export interface PodRequests {
  readonly millicores: number;
  readonly memoryMiB: number;
}

/** How many pods of one shape fit a node next to the DaemonSets: the tightest of CPU, memory and pod slots. */
export function podsPerNode(type: InstanceType, pod: PodRequests): number {
  const free = allocatable(type);
  const daemonCpu = crestDaemonSets.reduce((total, d) => total + d.millicores, 0);
  const daemonMemory = crestDaemonSets.reduce((total, d) => total + d.memoryMiB, 0);
  return Math.max(
    0,
    Math.min(
      Math.floor((free.millicores - daemonCpu) / pod.millicores),
      Math.floor((free.memoryMiB - daemonMemory) / pod.memoryMiB),
      free.pods - crestDaemonSets.length,
    ),
  );
}

/** Nodes each AZ needs for `pods` spread evenly (the zone spread allows a skew of one pod). */
export function nodesPerAzFor(pods: number, zones: number, perNode: number): number {
  return Math.ceil(Math.ceil(pods / zones) / perNode);
}
