/**
 * What can go wrong in the domain, independent of transport. The HTTP error handler is the one
 * place that turns these into status codes.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

/** Input that breaks a rule; `field` is a path such as `body.quantity` or `params.sku`. */
export class InvalidInputError extends DomainError {
  readonly code = "invalid_input";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export class UnauthorizedError extends DomainError {
  readonly code = "unauthorized";
}

export class ForbiddenError extends DomainError {
  readonly code = "forbidden";
}

export class NotFoundError extends DomainError {
  readonly code = "not_found";
}

/** The request is well formed but clashes with the current state (sold out, at the limit, key reused, in progress). */
export class ConflictError extends DomainError {
  constructor(
    readonly code: "sold_out" | "limit_reached" | "idempotency_key_reused" | "request_in_progress",
    message: string,
  ) {
    super(message);
  }
}

export class RateLimitedError extends DomainError {
  readonly code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests; retry after ${retryAfterSeconds}s`);
  }
}

const failureText = { timeout: "timed out", breaker_open: "circuit open", error: "request failed" } as const;
export type DependencyFailure = keyof typeof failureText;

/**
 * A dependency failed, timed out or its breaker is open: the caller may retry later. The message
 * names only the dependency and the kind of failure; the client library's own words (which can
 * hold internal addresses) stay in `detail`, for the logs.
 */
export class DependencyUnavailableError extends DomainError {
  readonly code = "dependency_unavailable";
  constructor(
    readonly dependency: string,
    readonly failure: DependencyFailure,
    readonly detail?: string,
  ) {
    super(`${dependency} unavailable: ${failureText[failure]}`);
  }
}
