import type { RequestHandler } from "express";
import { UnauthorizedError } from "../domain/errors";
import type { SessionTokens } from "../domain/ports";

/** Requires `Authorization: Bearer <session token>`; the user id goes to res.locals.userId. */
export function authenticate(tokens: SessionTokens): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer ([A-Za-z0-9._-]+)$/.exec(header) : null;
    if (!match?.[1])
      throw new UnauthorizedError("headers.authorization: a session token (Bearer) is required");
    res.locals.userId = await tokens.verify(match[1]);
    next();
  };
}
