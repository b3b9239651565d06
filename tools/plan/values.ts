import * as pulumi from "@pulumi/pulumi";

const {
  unknownValue,
  specialSigKey,
  specialSecretSig,
  specialResourceSig,
  specialAssetSig,
  specialArchiveSig,
} = pulumi.runtime;

/** How a value not known until the resource exists is shown, as `pulumi preview` shows `output<T>`. */
export const computed = "<computed>";
/** How a secret is shown. The plan never holds a secret's value in any output it writes. */
export const secret = "[secret]";

/**
 * Turns a property value in the engine's wire form (what the monitor receives) into plain JSON for
 * the plan: unknowns and secrets become markers, resource references their URN, object keys sorted
 * so that the same program always yields the same bytes.
 */
export function renderWireValue(value: unknown): unknown {
  if (value === unknownValue) return computed;
  if (Array.isArray(value)) return value.map(renderWireValue);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  switch (record[specialSigKey]) {
    case specialSecretSig:
      return secret;
    case specialResourceSig:
      return record.urn;
    case specialAssetSig:
      return `<asset ${String(record.path ?? record.uri ?? "text")}>`;
    case specialArchiveSig:
      return `<archive ${String(record.path ?? record.uri ?? "assets")}>`;
  }
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, renderWireValue(record[key])]),
  );
}
