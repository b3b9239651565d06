import type { RequestHandler } from "express";
import { InvalidInputError } from "../domain/errors";
import { HttpError } from "./httpErrors";

/** Deeper than any body the API takes (its deepest is 1), shallow enough for any recursive walk. */
export const maxBodyDepth = 32;

/**
 * Every route that takes a body takes JSON: a body of any other type (or none declared) is 415,
 * never parsed as an empty object with default values. A request without a body passes.
 */
export function requireJsonBodies(): RequestHandler {
  return (req, _res, next) => {
    const length = req.headers["content-length"];
    const hasBody =
      req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
    if (hasBody && !req.is(["application/json", "application/*+json"])) {
      const type = req.headers["content-type"];
      throw new HttpError(
        415,
        "unsupported_media_type",
        `headers.content-type: application/json required (got ${type === undefined ? "none" : JSON.stringify(type.slice(0, 60))})`,
        "headers.content-type",
      );
    }
    next();
  };
}

/**
 * Refuses a parsed body nested deeper than `maxBodyDepth` before any validation walks it (building
 * a message for a 4,500-deep body used to overflow the stack). Iterative, so the check itself cannot.
 */
export function limitBodyDepth(): RequestHandler {
  return (req, _res, next) => {
    if (depthExceeds(req.body, maxBodyDepth))
      throw new InvalidInputError("body", `JSON nested deeper than ${maxBodyDepth} levels`);
    next();
  };
}

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
