import { webcrypto } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import { UnauthorizedError } from "../domain/errors";
import type { SessionTokens } from "../domain/ports";

const issuer = "crest";
const audience = "crest-mini-program";

/**
 * HS256 JWTs: the user id in `sub`, signed with the session-signing secret. The secret is imported
 * as a WebCrypto key once: given raw bytes, jose imports them again on every sign and verify (the
 * benchmark found it on every order's profile).
 */
export class JwtSessionTokens implements SessionTokens {
  private readonly key: Promise<webcrypto.CryptoKey>;

  constructor(
    signingKey: string,
    private readonly ttlSeconds: number,
  ) {
    if (signingKey.length < 32) throw new Error("the session-signing key must be at least 32 characters");
    this.key = webcrypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(signingKey),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
  }

  async issue(userId: string): Promise<{ token: string; expiresAt: string }> {
    const expiresAt = Math.floor(Date.now() / 1000) + this.ttlSeconds;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(userId)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(await this.key);
    return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
  }

  async verify(token: string): Promise<string> {
    try {
      const { payload } = await jwtVerify(token, await this.key, { issuer, audience, algorithms: ["HS256"] });
      if (!payload.sub) throw new UnauthorizedError("session token has no subject");
      return payload.sub;
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      if (error instanceof errors.JWTExpired) throw new UnauthorizedError("session token expired");
      throw new UnauthorizedError("session token invalid");
    }
  }
}
