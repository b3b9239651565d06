import { z } from "zod";
import type { AcceptedOrder } from "./model";

/** The order as it travels through Kafka; the worker accepts nothing else. */
const orderMessageSchema = z.strictObject({
  orderId: z.uuid(),
  userId: z.string().min(1).max(64),
  sku: z.string().min(1).max(64),
  quantity: z.number().int().min(1),
  unitPriceCents: z.number().int().nonnegative(),
  idempotencyKey: z.string().min(1).max(128),
  acceptedAt: z.iso.datetime({ precision: 3 }),
});

export function encodeOrderMessage(order: AcceptedOrder): string {
  return JSON.stringify(order);
}

/** The order, or why the message cannot be processed (the dead-letter reason). */
export function decodeOrderMessage(value: string | undefined): AcceptedOrder | { problem: string } {
  if (value === undefined || value === "") return { problem: "empty message" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { problem: "not JSON" };
  }
  const result = orderMessageSchema.safeParse(parsed);
  if (result.success) return result.data;
  return {
    problem: `invalid order: ${result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
  };
}
