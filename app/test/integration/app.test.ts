import { after, before, describe } from "node:test";
import { Context } from "./context";
import { degradationScenarios } from "./scenarios/degradation";
import { flashSaleScenarios } from "./scenarios/flashSale";
import { inputScenarios } from "./scenarios/inputs";
import { operationScenarios } from "./scenarios/operations";
import { stockScenarios } from "./scenarios/stock";
import { workerScenarios } from "./scenarios/worker";

// One set of servers (Redis, two MariaDB shards, Kafka) and one API + worker pair for every
// scenario: starting Kafka per file would cost more than the scenarios themselves.
describe("workload app on real Redis, MySQL shards and Kafka", { timeout: 600_000 }, () => {
  let context: Context | undefined;
  const ctx = () => {
    if (!context) throw new Error("the local stack did not start");
    return context;
  };
  before(
    async () => {
      context = await Context.start((line) => process.stderr.write(`# services: ${line}\n`));
    },
    { timeout: 180_000 },
  );
  after(
    async () => {
      await context?.stop();
    },
    { timeout: 60_000 },
  );

  flashSaleScenarios(ctx);
  stockScenarios(ctx);
  inputScenarios(ctx);
  workerScenarios(ctx);
  operationScenarios(ctx);
  degradationScenarios(ctx);
});
