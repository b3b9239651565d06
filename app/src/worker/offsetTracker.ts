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
  /** Per partition, the highest offset this process finished within a contiguous run. */
  private readonly finishedThrough = new Map<number, bigint>();
  /** Per partition, at least the highest offset tracked now. */
  private readonly highestTracked = new Map<number, bigint>();

  track(partition: number, offset: bigint, message: M): void {
    const entries = this.partitions.get(partition);
    const entry = { offset, done: false, message };
    if (entries) entries.push(entry);
    else this.partitions.set(partition, [entry]);
    if (offset > (this.highestTracked.get(partition) ?? -1n)) this.highestTracked.set(partition, offset);
  }

  markDone(partition: number, offset: bigint): void {
    // The first copy not yet done: after a rejoin the same offset can be fetched again while the
    // first copy is still queued, and each copy must be marked by its own processing.
    const entry = this.partitions.get(partition)?.find((e) => e.offset === offset && !e.done);
    if (entry) entry.done = true;
  }

  /** Per partition, the highest message of the finished prefix (commit it); the prefix is then forgotten. */
  takeCommittable(): M[] {
    const committable: M[] = [];
    for (const [partition, entries] of this.partitions) {
      let finished = 0;
      // The highest offset of the run, not its last entry: after a rejoin, re-fetched finished
      // offsets sit behind higher ones that were in hand, and committing the last would move the
      // commit point back below orders already stored.
      let highest: Entry<M> | undefined;
      for (; finished < entries.length && entries[finished]?.done; finished++) {
        const entry = entries[finished] as Entry<M>;
        if (!highest || entry.offset >= highest.offset) highest = entry;
      }
      if (!highest) continue;
      committable.push(highest.message);
      if (highest.offset > (this.finishedThrough.get(partition) ?? -1n))
        this.finishedThrough.set(partition, highest.offset);
      if (finished === entries.length) {
        this.partitions.delete(partition);
        this.highestTracked.delete(partition);
      } else entries.splice(0, finished);
    }
    return committable;
  }

  /**
   * True when this process already finished the message at this offset (it stored or dead-lettered
   * everything of the partition up to there): a re-fetch after a rejoin, which can be skipped without
   * touching a database. A lower bound: another member may have finished more, never less.
   */
  finishedBefore(partition: number, offset: bigint): boolean {
    return offset <= (this.finishedThrough.get(partition) ?? -1n);
  }

  /**
   * True when a copy of the message at this offset is tracked (in hand, or finished behind one that
   * is not): a re-fetch after a rejoin, which that copy's processing covers.
   */
  holds(partition: number, offset: bigint): boolean {
    const entries = this.partitions.get(partition);
    // The common case, the partition's next message, costs one comparison. (Entries are not always
    // in offset order: a rejoin appends re-fetched finished offsets behind those in hand.)
    if (!entries || offset > (this.highestTracked.get(partition) ?? -1n)) return false;
    return entries.some((e) => e.offset === offset);
  }

  /** Forgets every partition outside `owned` (revoked by a rebalance: its new owner commits it). */
  retain(owned: ReadonlySet<number>): void {
    for (const partition of this.partitions.keys()) {
      if (owned.has(partition)) continue;
      this.partitions.delete(partition);
      this.highestTracked.delete(partition);
    }
  }

  get tracked(): number {
    let count = 0;
    for (const entries of this.partitions.values()) count += entries.length;
    return count;
  }
}
