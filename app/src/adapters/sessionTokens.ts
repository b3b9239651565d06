import { webcrypto } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import { LRUCache } from "lru-cache";
import { UnauthorizedError } from "../domain/errors";
import type { SessionTokens } from "../domain/ports";

const issuer = "crest";
const audience = "crest-mini-program";

export interface SessionTokenOptions {
  /**
   * Verified tokens remembered (least recently used go first), so a buyer's next request skips the
   * HMAC: WebCrypto's verify runs as a thread-pool job, ~90 µs of the API's CPU per order (bench).
   * @default 10000
   */
  readonly verifiedCacheSize?: number;
  /** Milliseconds since the epoch, for `exp` checks of remembered tokens. @default Date.now */
  readonly now?: () => number;
}

interface VerifiedToken {
  readonly userId: string;
  /** When the token's `exp` passes: a remembered token is not trusted past it. */
  readonly expiresAtMs: number;
}

/**
 * HS256 JWTs: the user id in `sub`, signed with the session-signing secret. The secret is imported
 * as a WebCrypto key once: given raw bytes, jose imports them again on every sign and verify (the
 * benchmark found it on every order's profile). A token that verified is remembered by its exact
 * text until its `exp`: only bytes that once passed the full check are ever trusted again.
 */
export class JwtSessionTokens implements SessionTokens {
  private readonly key: Promise<webcrypto.CryptoKey>;
  private readonly verified: LRUCache<string, VerifiedToken>;
  private readonly now: () => number;

  constructor(
    signingKey: string,
    private readonly ttlSeconds: number,
    options: SessionTokenOptions = {},
  ) {
    if (signingKey.length < 32) throw new Error("the session-signing key must be at least 32 characters");
    const cacheSize = options.verifiedCacheSize ?? 10_000;
    if (!Number.isInteger(cacheSize) || cacheSize < 1)
      throw new Error(`verifiedCacheSize: a positive integer required (got ${cacheSize})`);
    this.verified = new LRUCache({ max: cacheSize });
    this.now = options.now ?? Date.now;
    this.key = webcrypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(signingKey),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
  }

  async issue(userId: string): Promise<{ token: string; expiresAt: string }> {
    const expiresAt = Math.floor(this.now() / 1000) + this.ttlSeconds;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(userId)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(Math.floor(this.now() / 1000))
      .setExpirationTime(expiresAt)
      .sign(await this.key);
    return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
  }

  async verify(token: string): Promise<string> {
    const remembered = this.verified.get(token);
    if (remembered) {
      if (remembered.expiresAtMs > this.now()) return remembered.userId;
      this.verified.delete(token);
      throw new UnauthorizedError("session token expired");
    }
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        issuer,
        audience,
        algorithms: ["HS256"],
        currentDate: new Date(this.now()),
      });
      if (!payload.sub) throw new UnauthorizedError("session token has no subject");
      if (payload.exp !== undefined)
        this.verified.set(token, { userId: payload.sub, expiresAtMs: payload.exp * 1000 });
      return payload.sub;
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      if (error instanceof errors.JWTExpired) throw new UnauthorizedError("session token expired");
      throw new UnauthorizedError("session token invalid");
    }
  }
}
