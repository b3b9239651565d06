import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { environmentKeys } from "../../app/src/contract/podEnvironment";
import { appContainer, appPodSpec, objectLabels, type PodParts } from "./pods";

/** Hours a finished smoke Job and its pods' logs stay readable (`kubectl logs job/<name>`). */
const keepFinishedSeconds = 24 * 3600;
const smokeResources = {
  cpu: { request: "100m", limit: "500m" },
  memory: { request: "128Mi", limit: "256Mi" },
};

export function shortHash(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 10);
}

export interface SmokeJobArgs {
  readonly namespace: pulumi.Input<string>;
  readonly parts: PodParts;
  /** The API's in-cluster URL (its Service). */
  readonly serviceUrl: string;
  readonly cdnUrl: pulumi.Input<string>;
  /** What the run proves: a change to any of these is a new deploy and runs the test again. */
  readonly imageRef: pulumi.Input<string>;
  readonly configJson: pulumi.Input<string>;
  readonly timeoutSeconds: number;
}

/**
 * The post-deploy gate: the app's smoke command against the in-cluster Service (init container),
 * then through the CDN (main container), in one pod. Pulumi awaits a Job until it completes, so a
 * failed run fails `pulumi up`. The name carries a hash of the image, the config and the URLs, so
 * every deploy that changes them creates a new Job; a change to anything else in its spec replaces
 * it too (a Job's pod template is immutable, and a finished Job never runs again).
 */
export function smokeJob(
  name: string,
  args: SmokeJobArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.batch.v1.Job {
  const baseUrl = (url: pulumi.Input<string>) => [{ name: environmentKeys.smokeBaseUrl, value: url }];
  const container = (containerName: string, url: pulumi.Input<string>) =>
    appContainer(args.parts, {
      name: containerName,
      mode: "smoke",
      resources: smokeResources,
      env: baseUrl(url),
    });
  return new k8s.batch.v1.Job(
    name,
    {
      metadata: {
        name: pulumi
          .all([args.imageRef, args.configJson, args.serviceUrl, args.cdnUrl])
          .apply((parts) => `smoke-${shortHash(...parts)}`),
        namespace: args.namespace,
        labels: objectLabels("smoke"),
      },
      spec: {
        // One retry absorbs a transient failure; a broken deploy still fails within the deadline.
        backoffLimit: 1,
        activeDeadlineSeconds: args.timeoutSeconds,
        ttlSecondsAfterFinished: keepFinishedSeconds,
        template: {
          metadata: { labels: objectLabels("smoke") },
          spec: appPodSpec(args.parts, {
            restartPolicy: "Never",
            terminationGracePeriodSeconds: 10,
            initContainers: [container("in-cluster", args.serviceUrl)],
            containers: [container("through-cdn", args.cdnUrl)],
          }),
        },
      },
    },
    {
      ...opts,
      replaceOnChanges: ["spec"],
      deleteBeforeReplace: true,
      customTimeouts: { create: `${args.timeoutSeconds + 120}s`, update: `${args.timeoutSeconds + 120}s` },
    },
  );
}
