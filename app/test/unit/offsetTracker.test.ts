import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OffsetTracker } from "../../src/worker/offsetTracker";

describe("OffsetTracker", () => {
  it("commits past a contiguous run of finished messages only", () => {
    const tracker = new OffsetTracker<string>();
    for (const offset of [10n, 11n, 12n, 13n]) tracker.track(0, offset, `p0@${offset}`);
    tracker.markDone(0, 10n);
    tracker.markDone(0, 12n);
    assert.deepEqual(tracker.takeCommittable(), ["p0@10"]);
    assert.deepEqual(tracker.takeCommittable(), [], "11 is still parked: nothing past it may be committed");
    tracker.markDone(0, 11n);
    assert.deepEqual(tracker.takeCommittable(), ["p0@12"]);
    assert.equal(tracker.tracked, 1);
  });

  it("commits only what every earlier batch finished when batches in flight finish out of order", () => {
    const tracker = new OffsetTracker<string>();
    // Three batches of one fetch, each spanning both partitions: [p0@0, p1@0], [p0@1, p1@1], [p0@2, p1@2].
    for (const offset of [0n, 1n, 2n])
      for (const partition of [0, 1]) tracker.track(partition, offset, `p${partition}@${offset}`);
    const finish = (offset: bigint, partitions = [0, 1]) => {
      for (const partition of partitions) tracker.markDone(partition, offset);
    };
    finish(2n);
    assert.deepEqual(
      tracker.takeCommittable(),
      [],
      "the last batch finished first: nothing before it is stored",
    );
    finish(1n, [1]); // batch 2's order on partition 0 is parked
    assert.deepEqual(tracker.takeCommittable(), [], "batch 1 is still being written");
    finish(0n);
    assert.deepEqual(
      tracker.takeCommittable(),
      ["p0@0", "p1@2"],
      "p0@1 (parked in batch 2) holds partition 0 only",
    );
    finish(1n, [0]);
    assert.deepEqual(tracker.takeCommittable(), ["p0@2"]);
    assert.equal(tracker.tracked, 0);
  });

  it("keeps partitions independent: a parked message holds back only its own partition", () => {
    const tracker = new OffsetTracker<string>();
    tracker.track(0, 5n, "p0@5");
    tracker.track(1, 7n, "p1@7");
    tracker.track(1, 8n, "p1@8");
    tracker.markDone(1, 7n);
    tracker.markDone(1, 8n);
    assert.deepEqual(tracker.takeCommittable(), ["p1@8"]);
    assert.equal(tracker.tracked, 1);
  });

  it("remembers what it finished, so a re-fetch after a rejoin can be skipped", () => {
    const tracker = new OffsetTracker<string>();
    for (const offset of [3n, 4n, 5n]) tracker.track(0, offset, `p0@${offset}`);
    tracker.markDone(0, 3n);
    tracker.markDone(0, 5n);
    assert.deepEqual(tracker.takeCommittable(), ["p0@3"]);
    assert.equal(tracker.finishedBefore(0, 3n), true);
    assert.equal(tracker.finishedBefore(0, 4n), false, "4 is not stored yet");
    assert.equal(tracker.finishedBefore(0, 5n), false, "5 is done but not behind a contiguous run");
    assert.equal(tracker.finishedBefore(1, 0n), false);
    tracker.retain(new Set([1]));
    assert.equal(tracker.finishedBefore(0, 3n), true, "a revoked partition keeps what this process stored");
    assert.equal(tracker.tracked, 0);
  });

  it("knows which offsets it holds, finished or not, so a re-fetch of one still in hand can be skipped", () => {
    const tracker = new OffsetTracker<string>();
    for (const offset of [4n, 5n, 6n]) tracker.track(0, offset, `p0@${offset}`);
    tracker.markDone(0, 6n);
    assert.equal(tracker.holds(0, 5n), true, "5 is queued or being written");
    assert.equal(tracker.holds(0, 6n), true, "6 is stored behind 4 and 5");
    assert.equal(tracker.holds(0, 7n), false, "the next message");
    assert.equal(tracker.holds(0, 3n), false, "before what this process fetched");
    assert.equal(tracker.holds(1, 5n), false, "another partition");
    // A rejoin re-fetches from an older commit: finished offsets are tracked again behind those in hand.
    tracker.track(0, 2n, "p0@2 again");
    tracker.markDone(0, 2n);
    assert.equal(tracker.holds(0, 5n), true, "5 is still in hand behind the re-fetched 2");
    tracker.markDone(0, 4n);
    tracker.markDone(0, 5n);
    assert.deepEqual(tracker.takeCommittable(), ["p0@6"], "the commit point moved back below 6");
    tracker.track(0, 7n, "p0@7");
    assert.equal(tracker.holds(0, 7n), true);
    tracker.retain(new Set([1]));
    assert.equal(tracker.holds(0, 7n), false, "a revoked partition's messages are its new owner's");
  });

  it("marks each copy of an offset fetched twice (a rejoin re-fetch) by its own processing", () => {
    const tracker = new OffsetTracker<string>();
    tracker.track(0, 8n, "first copy");
    tracker.track(0, 8n, "second copy");
    tracker.markDone(0, 8n);
    tracker.markDone(0, 8n);
    assert.deepEqual(
      tracker.takeCommittable(),
      ["second copy"],
      "one copy was left undone: the partition is stuck",
    );
    assert.equal(tracker.tracked, 0);
  });
});
