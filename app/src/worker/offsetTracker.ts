interface Entry<M> {
  readonly offset: bigint;
  done: boolean;
  readonly message: M;
}

/**
 * Which offsets may be committed: per partition, messages in consumption order, and the commit
 * point only ever moves past a contiguous run of finished ones. A parked message holds its
 * partition's commit point while later messages are still processed.
 */
export class OffsetTracker<M> {
  private readonly partitions = new Map<number, Entry<M>[]>();

  track(partition: number, offset: bigint, message: M): void {
    const entries = this.partitions.get(partition);
    const entry = { offset, done: false, message };
    if (entries) entries.push(entry);
    else this.partitions.set(partition, [entry]);
  }

  markDone(partition: number, offset: bigint): void {
    const entry = this.partitions.get(partition)?.find((e) => e.offset === offset);
    if (entry) entry.done = true;
  }

  /** Per partition, the last message of the finished prefix (commit it), which is then forgotten. */
  takeCommittable(): M[] {
    const committable: M[] = [];
    for (const [partition, entries] of this.partitions) {
      let finished = 0;
      while (finished < entries.length && entries[finished]?.done) finished++;
      if (finished === 0) continue;
      committable.push((entries[finished - 1] as Entry<M>).message);
      if (finished === entries.length) this.partitions.delete(partition);
      else entries.splice(0, finished);
    }
    return committable;
  }

  /** Forgets every partition outside `owned` (revoked by a rebalance: its new owner commits it). */
  retain(owned: ReadonlySet<number>): void {
    for (const partition of this.partitions.keys())
      if (!owned.has(partition)) this.partitions.delete(partition);
  }

  get tracked(): number {
    let count = 0;
    for (const entries of this.partitions.values()) count += entries.length;
    return count;
  }
}
