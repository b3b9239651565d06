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
