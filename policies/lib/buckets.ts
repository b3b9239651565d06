import type { StackResourceView, StackView } from "./rule";
import { t } from "./types";

/**
 * S3 settings are separate resources that name their bucket (`bucket: bucket.bucket`). A setting
 * belongs to a bucket when its `bucket` input was computed from it, or names it literally.
 */
export function bucketSettings(stack: StackView, bucket: StackResourceView, types: readonly string[]) {
  const name = bucket.props.bucket;
  return stack
    .ofType(...types)
    .filter(
      (setting) =>
        setting.propertyDependencies.bucket?.includes(bucket.urn) ||
        (typeof name === "string" && setting.props.bucket === name),
    );
}

/** Each bucket of the stack with the settings of the given types that belong to it. */
export function bucketsWith(stack: StackView, types: readonly string[]) {
  return stack
    .ofType(...t.buckets)
    .map((bucket) => ({ bucket, settings: bucketSettings(stack, bucket, types) }));
}
