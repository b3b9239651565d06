import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { RowDataPacket } from "mysql2/promise";
import { eventually } from "../../app/test/support/http";
import { type Fault, faults } from "../../tools/faults/faults";
import { quickPlan } from "../../tools/faults/options";
import { FaultRig } from "../../tools/faults/rig";
import { type LoadPlan, runFault } from "../../tools/faults/runFault";

// The quick form's core on real Redis, MariaDB shards and Kafka, shortened further: one real fault
// the app survives, and one planted in the data that the suite must catch.
const plan: LoadPlan = { ...quickPlan, leadSeconds: 1, afterSeconds: 2, settleSeconds: 20, replays: 5 };

const deletedRows = 3;
const extraUnits = 5;

/**
 * Not a production fault: orders vanish from MySQL, and both Redis and MySQL's stock of record gain
 * units the sale never had, as a broken pipeline and a broken ledger would (Redis alone gaining
 * stock oversells nothing: MySQL rejects what is over its stock). The suite must report lost and
 * oversold orders against the stock it seeded.
 */
const plantedFault: Fault = {
  id: "planted-loss-and-oversell",
  description: `${deletedRows} stored orders deleted, stock raised by ${extraUnits} in Redis and MySQL`,
  holdSeconds: 1,
  async inject(rig, load) {
    const shard = rig.stack.shards[0];
    if (!shard) throw new Error("no shard 0");
    await eventually(
      `${deletedRows} orders of ${load.sku} stored on shard 0`,
      async () => {
        const [rows] = await shard.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM orders WHERE sku = ?", [
          load.sku,
        ]);
        return Number(rows[0]?.n) >= deletedRows ? true : undefined;
      },
      20_000,
    );
    await shard.query("DELETE FROM orders WHERE sku = ? LIMIT ?", [load.sku, deletedRows]);
    await shard.query("UPDATE catalog_items SET flash_sale_stock = flash_sale_stock + ? WHERE sku = ?", [
      extraUnits,
      load.sku,
    ]);
    await rig.stack.redis.incrby(`fs:{${load.sku}}:stock`, extraUnits);
  },
  clear: async () => undefined,
};

describe("fault suite (quick core) on real servers", { timeout: 400_000 }, () => {
  let rig: FaultRig | undefined;
  const logDir = mkdtempSync(join(tmpdir(), "crest-faults-test-"));
  const progress = (line: string) => process.stderr.write(`# ${line}\n`);
  const started = () => {
    if (!rig) throw new Error("the rig did not start");
    return rig;
  };
  before(
    async () => {
      rig = await FaultRig.start({ logDir }, progress);
    },
    { timeout: 180_000 },
  );
  after(
    async () => {
      await rig?.stop();
      rmSync(logDir, { recursive: true, force: true });
    },
    { timeout: 60_000 },
  );

  it("a killed and restarted worker: every accepted order stored once, nothing stranded or oversold", async () => {
    const workerKilled = faults.find((f) => f.id === "worker-killed");
    assert.ok(workerKilled);
    const result = await runFault(started(), workerKilled, plan, progress);
    const a = result.accounting;
    assert.deepEqual(a.failures, []);
    assert.equal(result.passed, true);
    assert.ok(a.accepted > 0, "no order was accepted");
    assert.equal(a.stored, a.accepted);
    assert.equal(a.soldUnits, result.initialStock, "the load goes on until the sale sells out");
    assert.equal(a.strandedUnits, 0);
    assert.ok(a.recoverySeconds !== undefined, "no order answered after the worker came back");
    assert.equal(a.replaysWrong, 0);
  });

  it("orders deleted from MySQL and stock added to the ledgers: reported as lost and oversold, and the fault fails", async () => {
    const result = await runFault(started(), plantedFault, plan, progress);
    const a = result.accounting;
    assert.equal(result.passed, false);
    assert.equal(a.lost, deletedRows);
    assert.equal(a.stored, a.accepted - deletedRows);
    assert.equal(a.oversoldUnits, extraUnits - deletedRows);
    // The lost orders are named with what their buyers saw (a 202), to trace them in the kept logs.
    assert.ok(
      a.failures.some((f) =>
        new RegExp(`^${deletedRows} lost \\(order [0-9a-f-]{36} of \\S+: 202[;)]`).test(f),
      ),
      a.failures.join(", "),
    );
    assert.ok(a.failures.includes(`${extraUnits - deletedRows} units oversold`), a.failures.join(", "));
  });
});
