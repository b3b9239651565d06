import { z } from "zod";

/** WeChat openids (28 characters of [A-Za-z0-9_-]) and the smoke probe's id fit this. */
export const userId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "1-64 characters of A-Z a-z 0-9 _ -");
export const sku = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "1-64 characters of A-Z a-z 0-9 . _ -");
export const idempotencyKey = z
  .string({ error: "required: a unique key per order attempt (8-128 characters of A-Z a-z 0-9 _ -)" })
  .regex(/^[A-Za-z0-9_-]{8,128}$/, "8-128 characters of A-Z a-z 0-9 _ -");
/** An empty body (no JSON sent) reads as {}. */
export const emptyBody = z.strictObject({}).optional();
