import type { ErrorRequestHandler } from "express";
import {
  ConflictError,
  DependencyUnavailableError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
} from "../domain/errors";
import type { Logger } from "../observability/logger";
import { HttpError } from "./httpErrors";
import { describeRequest } from "./observeRequests";

/** Errors raised by Express's own body parser carry a status, a type and, when parsing failed, the body. */
interface BodyParserError {
  status: number;
  type: string;
  body: string;
}

/** The one place where errors become HTTP responses: `{ error: { code, message, field? } }`. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const { status, code, message, field } = describe(error);
    if (error instanceof RateLimitedError) res.setHeader("Retry-After", String(error.retryAfterSeconds));
    if (error instanceof DependencyUnavailableError) res.setHeader("Retry-After", "1");
    if (error instanceof UnauthorizedError) res.setHeader("WWW-Authenticate", 'Bearer realm="crest"');
    if (error instanceof HttpError) res.set(error.headers);
    // The log gets the whole error (a dependency's own words, in `detail`); the body never does.
    if (status >= 500) logger.error({ req: describeRequest(req), err: error }, "request failed");
    const dependency = error instanceof DependencyUnavailableError ? { dependency: error.dependency } : {};
    res
      .status(status)
      .json({ error: { code, message, ...(field ? { field } : {}), ...dependency }, requestId: req.id });
  };
}

function describe(error: unknown): { status: number; code: string; message: string; field?: string } {
  if (error instanceof HttpError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
    };
  }
  if (error instanceof DomainError) {
    const status = statusOf(error);
    const field = error instanceof InvalidInputError ? error.field : undefined;
    return { status, code: error.code, message: error.message, ...(field ? { field } : {}) };
  }
  if (error instanceof URIError && (error as { status?: unknown }).status === 400) {
    // The router could not percent-decode a path parameter (it alone marks the URIError 400); its
    // message quotes the raw value.
    const message = `params: ${error.message}; allowed: percent-encoded UTF-8`;
    return { status: 400, code: "invalid_input", message, field: "params" };
  }
  const parserError = error as Partial<BodyParserError>;
  if (parserError.type === "entity.too.large") {
    return { status: 413, code: "body_too_large", message: "body: larger than the limit", field: "body" };
  }
  if (parserError.type === "entity.parse.failed") {
    return {
      status: 400,
      code: "invalid_input",
      message: `body: ${whyNotParsed(parserError.body)}`,
      field: "body",
    };
  }
  if (parserError.type === "charset.unsupported" || parserError.type === "encoding.unsupported") {
    const field =
      parserError.type === "charset.unsupported" ? "headers.content-type" : "headers.content-encoding";
    return { status: 415, code: "unsupported_media_type", message: `${field}: not supported`, field };
  }
  if (typeof parserError.status === "number" && parserError.status >= 400 && parserError.status < 500) {
    return {
      status: parserError.status,
      code: "bad_request",
      message: "body: could not be read",
      field: "body",
    };
  }
  return { status: 500, code: "internal", message: "internal error" };
}

/** The parser takes objects and arrays only (strict): other JSON values are named as such. */
function whyNotParsed(body: string | undefined): string {
  try {
    const value: unknown = JSON.parse(body ?? "");
    return `a JSON object required (got ${JSON.stringify(value).slice(0, 40)})`;
  } catch {
    return "not valid JSON";
  }
}

function statusOf(error: DomainError): number {
  if (error instanceof InvalidInputError) return 400;
  if (error instanceof UnauthorizedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof RateLimitedError) return 429;
  if (error instanceof DependencyUnavailableError) return 503;
  return 500;
}
