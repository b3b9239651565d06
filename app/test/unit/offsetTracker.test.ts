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
});
