/**
 * Errors of the HTTP contract itself (media type, method), not of the domain: they carry their
 * status and any headers the status requires.
 */
export class HttpError extends Error {
  constructor(
    readonly status: 405 | 415,
    readonly code: "method_not_allowed" | "unsupported_media_type",
    message: string,
    readonly field?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
