// The order phases of `npm run bench` alone: order placement against the bare Express baseline,
// then the worker's drain rate per batch size. Figures, not pass/fail.
//   node --import tsx app/bench/orders.ts [orders per batch size=20000] [connections=50]
import { benchMain } from "../../tools/bench/run";

const [orders = "20000", connections = "50"] = process.argv.slice(2);
benchMain(["--only", "orders,pipeline", "--pipeline-orders", orders, "--order-connections", connections]);
