import { createHash } from "node:crypto";

/** Points per shard on the ring: enough that shards get near-equal shares of the users. */
export const defaultVirtualNodes = 160;

/**
 * Consistent hashing over the shard map: each shard owns many points on a 32-bit ring, and a user
 * belongs to the first point at or after the hash of their id. Adding a shard moves only the users
 * the new shard takes over (about 1/N of them); the order of the shard list does not matter.
 */
export class ShardRing {
  private readonly hashes: Uint32Array;
  private readonly owners: number[];

  constructor(shardIds: readonly number[], virtualNodes = defaultVirtualNodes) {
    if (shardIds.length === 0) throw new Error("a shard ring needs at least one shard");
    if (new Set(shardIds).size !== shardIds.length)
      throw new Error(`duplicate shard ids: ${shardIds.join(", ")}`);
    const points = shardIds
      .flatMap((id) =>
        Array.from({ length: virtualNodes }, (_, i) => ({ hash: hash32(`shard-${id}#${i}`), id })),
      )
      // Ties (vanishingly rare) are broken by shard id so every process builds the same ring.
      .sort((a, b) => a.hash - b.hash || a.id - b.id);
    this.hashes = Uint32Array.from(points, (p) => p.hash);
    this.owners = points.map((p) => p.id);
  }

  shardFor(key: string): number {
    const h = hash32(key);
    let low = 0;
    let high = this.hashes.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.hashes[mid] as number) < h) low = mid + 1;
      else high = mid;
    }
    return this.owners[low === this.hashes.length ? 0 : low] as number;
  }
}

function hash32(value: string): number {
  return createHash("md5").update(value).digest().readUInt32BE(0);
}
