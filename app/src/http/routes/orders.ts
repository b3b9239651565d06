import { type RequestHandler, Router } from "express";
import { z } from "zod";
import { ForbiddenError } from "../../domain/errors";
import type { OrderHistory } from "../../domain/orderHistory";
import type { PlaceOrder } from "../../domain/placeOrder";
import { idempotencyKey, sku, userId } from "../inputs";
import { parseInput } from "../validation";

// Built once: zod compiles a schema on first use, so a schema made per request costs a compile each time.
const orderParams = z.object({ sku });
const orderHeaders = z.object({ "idempotency-key": idempotencyKey });
const historyParams = z.object({ id: userId });
const historyQuery = z.strictObject({ cursor: z.string().max(512).optional() });

export function orderRoutes(
  placeOrder: PlaceOrder,
  history: OrderHistory,
  authenticated: RequestHandler,
  maxQuantity: number,
): Router {
  const router = Router();
  const orderBody = z
    .strictObject({
      quantity: z
        .number({ error: `an integer from 1 to ${maxQuantity}` })
        .int(`an integer from 1 to ${maxQuantity}`)
        .min(1, `an integer from 1 to ${maxQuantity}`)
        .max(maxQuantity, `an integer from 1 to ${maxQuantity}`)
        .default(1),
    })
    .prefault({});

  router.post("/v1/flash-sales/:sku/orders", authenticated, async (req, res) => {
    const params = parseInput(orderParams, req.params, "params");
    const { quantity } = parseInput(orderBody, req.body, "body");
    const headers = parseInput(orderHeaders, req.headers, "headers");
    const receipt = await placeOrder.place({
      userId: res.locals.userId as string,
      sku: params.sku,
      quantity,
      idempotencyKey: headers["idempotency-key"],
    });
    res.status(202).json({ orderId: receipt.orderId, status: "accepted", replayed: receipt.replayed });
  });

  router.get("/v1/users/:id/orders", authenticated, async (req, res) => {
    const { id } = parseInput(historyParams, req.params, "params");
    const { cursor } = parseInput(historyQuery, req.query, "query");
    if (id !== res.locals.userId)
      throw new ForbiddenError("params.id: a user may list only their own orders");
    const page = await history.page(id, cursor);
    res.setHeader("X-Cache-Tier", page.source);
    res.json({ orders: page.orders, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
  });
  return router;
}
