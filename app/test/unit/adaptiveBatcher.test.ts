import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AdaptiveBatcher } from "../../src/adapters/adaptiveBatcher";

/** A batcher whose first send stays in flight until `release()`; every batch sent lands in `sent`. */
function gatedBatcher(options: {
  maxBatch: number;
  maxWaitMs?: number;
  lingerMs?: number;
  now?: () => number;
}) {
  const sent: string[][] = [];
  let release: () => void = () => undefined;
  const batcher = new AdaptiveBatcher<string>(
    async (items) => {
      sent.push(items);
      if (sent.length === 1) await new Promise<void>((resolve) => (release = resolve));
    },
    options.maxBatch,
    options.maxWaitMs ?? 10_000,
    options.lingerMs,
    options.now,
  );
  return { batcher, sent, release: () => release() };
}

const turnEnd = () => new Promise((resolve) => setImmediate(resolve));

describe("AdaptiveBatcher", () => {
  it("sends the items of one event-loop turn together and groups those that arrive while a send is in flight", async () => {
    const { batcher, sent, release } = gatedBatcher({ maxBatch: 3 });
    const all = ["1", "2"].map((n) => batcher.send(n));
    await turnEnd();
    all.push(...["3", "4", "5", "6"].map((n) => batcher.send(n)));
    release();
    await Promise.all(all);
    assert.deepEqual(sent, [["1", "2"], ["3", "4", "5"], ["6"]]);
  });

  it("under load, lingers before the next send so items arriving meanwhile leave in it; idle, sends at once", async () => {
    const { batcher, sent, release } = gatedBatcher({ maxBatch: 10, lingerMs: 50 });
    const first = batcher.send("first");
    await turnEnd();
    const queued = batcher.send("queued");
    release();
    await first;
    const duringLinger = batcher.send("during-linger");
    await Promise.all([queued, duringLinger]);
    assert.deepEqual(sent, [["first"], ["queued", "during-linger"]]);
    const started = Date.now();
    await batcher.send("idle");
    assert.ok(Date.now() - started < 50, "an item that finds the batcher idle is not held");
    assert.deepEqual(sent.at(-1), ["idle"]);
  });

  it("rejects every item of a failed send, and only those", async () => {
    let calls = 0;
    const batcher = new AdaptiveBatcher<string>(
      async () => {
        calls++;
        if (calls === 1) throw new Error("broker down");
      },
      10,
      10_000,
    );
    const first = assert.rejects(batcher.send("a"), /broker down/);
    await turnEnd();
    const second = batcher.send("b");
    await first;
    await second;
  });

  it("drops items whose caller's deadline passed while they waited, instead of sending them late", async () => {
    let clock = 0;
    const { batcher, sent, release } = gatedBatcher({ maxBatch: 10, maxWaitMs: 1_000, now: () => clock });
    const first = batcher.send("on-time");
    await turnEnd();
    const late = batcher.send("late");
    clock = 1_500;
    release();
    await first;
    await assert.rejects(late, /not sent within 1000 ms/);
    assert.deepEqual(sent, [["on-time"]]);
    await batcher.drain();
  });
});
