import ipaddr from "ipaddr.js";
import { type Document, isMap, isScalar, isSeq, type Pair, type YAMLMap } from "yaml";
import { cidrsOverlap } from "../../infra/network";

/** Where a stack moves: every config value equal to one of the `from` values follows it. */
export interface Relocation {
  readonly fromRegion: string;
  readonly toRegion: string;
  /** Source AZ → its counterpart in the new region; a source AZ without one has no counterpart. */
  readonly availabilityZones: ReadonlyMap<string, string>;
  readonly fromCidr: string;
  readonly toCidr: string;
  /** The source's public name (CloudFront alias) and the new stack's. */
  readonly fromDomain: string;
  readonly toDomain: string;
  /** The source's Route 53 hosted zone id and the new stack's (the same when it is kept). */
  readonly fromZone: string;
  readonly toZone: string;
}

/** A `secure:` value, left out of the fork. A nested one is set with `pulumi config set --path`. */
export interface SecretKey {
  /** `ns:key`, or a path under it such as `crest:db.password`. */
  readonly key: string;
  /** Where it sits under `config:` in the stack file. */
  readonly yamlPath: readonly (string | number)[];
}

/** A value the fork changed for a reason the diff alone does not show, or one to check by hand. */
export interface ReviewNote {
  readonly path: string;
  readonly value: string;
  readonly message: string;
}

/**
 * Top-level stack-file keys that belong to the source stack's secrets provider. The new stack gets
 * its own at `pulumi stack init`; copying them would tie it to the source's key.
 */
const secretsProviderKeys = ["encryptionsalt", "encryptedkey", "secretsprovider"] as const;

/** AWS region names (`eu-west-1`, `ap-southeast-2`, …), whether or not the region table has them. */
const regionName =
  /^(?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-(?:north|south|east|west|central)(?:east|west)?-\d+$/;

/**
 * Moves a stack file's config to another region, in place, keeping comments and layout. The walk is
 * generic — it never names a config key — so keys added to the schema later are carried over as
 * they are, and follow the move when they hold a region, an AZ or the VPC CIDR:
 * - the source region becomes the new region (`crest:region`, `aws:region`, any other copy);
 * - a value equal to the new region (e.g. a disaster-recovery region) becomes the source region,
 *   as a second region must differ from the primary; noted for review;
 * - an AZ of the source region becomes its counterpart; without one it is dropped from a list
 *   (the new region has fewer AZs) or, as a single value, noted;
 * - the source VPC CIDR becomes the new one, its public name and hosted zone the new ones;
 * - another region, a value mentioning the source region (an ARN, an endpoint), the source's public
 *   name (a URL, an origin) or its replaced zone, and a CIDR inside the source VPC are kept and
 *   noted: they cannot be moved mechanically.
 * `secure:` values stay in the document and are returned, so the caller decides how to leave them
 * out; the source's secrets-provider keys are removed.
 */
export function relocateStackFile(
  doc: Document,
  move: Relocation,
): { secrets: SecretKey[]; notes: ReviewNote[] } {
  const secrets: SecretKey[] = [];
  const notes: ReviewNote[] = [];

  const relocate = (value: string, path: string): string | null => {
    const note = (message: string) => notes.push({ path, value, message });
    if (value === move.fromRegion) return move.toRegion;
    if (value === move.toRegion) {
      note(
        `set to ${move.fromRegion}, the source's region: it equalled the new region, and a second region ` +
          "(such as a disaster-recovery copy) must differ from crest:region — review",
      );
      return move.fromRegion;
    }
    const az = move.availabilityZones.get(value);
    if (az) return az;
    if (value.startsWith(move.fromRegion) && /^[a-z]$/.test(value.slice(move.fromRegion.length))) {
      note(
        `an AZ of ${move.fromRegion} with no counterpart in ${move.toRegion} (it has fewer AZs): dropped from a list, ` +
          "kept as a single value — set it by hand",
      );
      return null;
    }
    if (value === move.fromCidr) return move.toCidr;
    if (value.toLowerCase() === move.fromDomain.toLowerCase()) return move.toDomain;
    if (value === move.fromZone) return move.toZone;
    if (value.toLowerCase().includes(move.fromDomain.toLowerCase())) {
      note(
        `kept, but it names ${move.fromDomain}, the source's public name; the new stack's is ${move.toDomain}`,
      );
    } else if (move.fromZone !== move.toZone && value.includes(move.fromZone)) {
      note(`kept, but it names the source's hosted zone ${move.fromZone}; the new stack's is ${move.toZone}`);
    } else if (regionName.test(value))
      note(`kept: another region — check its distance and data residency for a stack in ${move.toRegion}`);
    else if (value.includes(move.fromRegion)) {
      note(
        `kept, but it names ${move.fromRegion}: a regional resource (ARN, endpoint) needs a ${move.toRegion} one`,
      );
    } else if (ipaddr.IPv4.isValidCIDR(value) && cidrsOverlap(value, move.fromCidr)) {
      note(`kept, but it lies inside the source VPC ${move.fromCidr}; the new VPC is ${move.toCidr}`);
    }
    return value;
  };

  const walk = (node: unknown, path: string, yamlPath: readonly (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) walkPair(pair, path, yamlPath);
    } else if (isSeq(node)) {
      node.items = node.items.filter((item, i) => {
        if (!isScalar(item) || typeof item.value !== "string") {
          walk(item, `${path}[${i}]`, [...yamlPath, i]);
          return true;
        }
        const moved = relocate(item.value, `${path}[${i}]`);
        if (moved !== null) item.value = moved;
        return moved !== null;
      });
    }
  };

  const walkPair = (pair: Pair, parentPath: string, parentYamlPath: readonly (string | number)[]): void => {
    const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const path = parentPath ? `${parentPath}.${key}` : key;
    const yamlPath = [...parentYamlPath, key];
    if (isSecure(pair.value)) {
      secrets.push({ key: path, yamlPath });
    } else if (isScalar(pair.value) && typeof pair.value.value === "string") {
      pair.value.value = relocate(pair.value.value, path) ?? pair.value.value;
    } else {
      walk(pair.value, path, yamlPath);
    }
  };

  walk(doc.get("config", true), "", []);
  for (const key of secretsProviderKeys) {
    if (doc.has(key)) {
      notes.push({
        path: key,
        value: "(the source's)",
        message:
          "left out: the new stack gets its own at `pulumi stack init` (pass --secrets-provider to choose it)",
      });
      doc.delete(key);
    }
  }
  return { secrets, notes };
}

/** `{ secure: … }`: how Pulumi stores a secret in a stack file. */
function isSecure(node: unknown): node is YAMLMap {
  return (
    isMap(node) &&
    node.items.length === 1 &&
    isScalar(node.items[0]?.key) &&
    node.items[0].key.value === "secure"
  );
}
