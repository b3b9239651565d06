import express, { type Request, type RequestHandler } from "express";
import { InvalidInputError } from "../domain/errors";
import { HttpError } from "./httpErrors";

/** Deeper than any body the API takes (its deepest is 1), shallow enough for any recursive walk. */
export const maxBodyDepth = 32;

/**
 * Every route that takes a body takes JSON, parsed here once for all of them: a body of any other
 * type (or none declared) is 415, never parsed as an empty object with default values; a body
 * nested deeper than `maxBodyDepth` is 400 before any validation walks it (building a message for a
 * 4,500-deep body used to overflow the stack). A request without a body (every read) passes at the
 * cost of two header lookups: one middleware, not three, on the path of a cached read.
 */
export function jsonBodies(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes });
  return (req, res, next) => {
    if (!hasBody(req)) {
      next();
      return;
    }
    if (!req.is(["application/json", "application/*+json"])) {
      const type = req.headers["content-type"];
      throw new HttpError(
        415,
        "unsupported_media_type",
        `headers.content-type: application/json required (got ${type === undefined ? "none" : JSON.stringify(type.slice(0, 60))})`,
        "headers.content-type",
      );
    }
    parse(req, res, (error?: unknown) => {
      if (error) next(error);
      else if (depthExceeds(req.body, maxBodyDepth))
        next(new InvalidInputError("body", `JSON nested deeper than ${maxBodyDepth} levels`));
      else next();
    });
  };
}

function hasBody(req: Request): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/** Iterative, so the check itself cannot overflow the stack. */
function depthExceeds(root: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[root, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, depth] = next;
    if (value === null || typeof value !== "object") continue;
    if (depth >= limit) return true;
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return false;
}
