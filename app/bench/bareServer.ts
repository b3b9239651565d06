// The baseline the app's figures are divided by: the same Express (the app's own dependency) and
// the same HTTP server settings (runtime/lifecycle.listen), with nothing behind the routes.
//   BENCH_BARE_PORT=<port> BENCH_BARE_BODY=<JSON> node --import tsx app/bench/bareServer.ts
import { randomUUID } from "node:crypto";
import express from "express";
import { listen } from "../src/runtime/lifecycle";

const port = Number(process.env.BENCH_BARE_PORT);
// The app's own catalog answer, so both servers serialize a body of the same size and shape.
const catalogBody: unknown = JSON.parse(process.env.BENCH_BARE_BODY ?? "{}");

const app = express();
app.disable("x-powered-by");
app.use(express.json({ limit: 16_384 }));
app.get("/v1/catalog/home", (_req, res) => {
  res.json(catalogBody);
});
app.post("/v1/flash-sales/:sku/orders", (_req, res) => {
  res.status(202).json({ orderId: randomUUID(), status: "accepted", replayed: false });
});

// Exit on SIGTERM through process.exit, as the app does, so a --cpu-prof profile gets written.
process.on("SIGTERM", () => process.exit(0));

listen(app, port).then(
  () => process.stdout.write(`bare listening on ${port}\n`),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
