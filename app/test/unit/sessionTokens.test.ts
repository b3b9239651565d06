import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JwtSessionTokens } from "../../src/adapters/sessionTokens";

const signingKey = "a-session-signing-key-of-32-chars!";

describe("JwtSessionTokens", () => {
  it("verifies an issued token again and again to its user", async () => {
    const tokens = new JwtSessionTokens(signingKey, 60);
    const { token } = await tokens.issue("user-1");
    assert.equal(await tokens.verify(token), "user-1");
    assert.equal(await tokens.verify(token), "user-1");
  });

  it("refuses a remembered token once its exp has passed", async () => {
    let clock = Date.UTC(2026, 0, 1);
    const tokens = new JwtSessionTokens(signingKey, 60, { now: () => clock });
    const { token } = await tokens.issue("user-1");
    assert.equal(await tokens.verify(token), "user-1");
    clock += 59_000;
    assert.equal(await tokens.verify(token), "user-1");
    clock += 1_000;
    await assert.rejects(tokens.verify(token), { message: "session token expired" });
    await assert.rejects(tokens.verify(token), { message: "session token expired" });
  });

  it("never trusts a token that differs from a remembered one by a byte, nor one signed with another key", async () => {
    const tokens = new JwtSessionTokens(signingKey, 60);
    const { token } = await tokens.issue("user-1");
    await tokens.verify(token);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), sub: "user-2" }),
    ).toString("base64url");
    await assert.rejects(tokens.verify(`${header}.${forged}.${signature}`), {
      message: "session token invalid",
    });
    const other = await new JwtSessionTokens(`${signingKey}-other`, 60).issue("user-1");
    await assert.rejects(tokens.verify(other.token), { message: "session token invalid" });
  });

  it("keeps working past its cache size, verifying evicted tokens afresh", async () => {
    const tokens = new JwtSessionTokens(signingKey, 60, { verifiedCacheSize: 2 });
    const issued = await Promise.all(["a", "b", "c"].map((user) => tokens.issue(user)));
    for (const round of [1, 2])
      for (const [i, user] of ["a", "b", "c"].entries())
        assert.equal(await tokens.verify(issued[i]?.token ?? ""), user, `round ${round}`);
  });

  it("refuses a cache size that is not a positive integer, naming it", () => {
    assert.throws(() => new JwtSessionTokens(signingKey, 60, { verifiedCacheSize: 0 }), {
      message: "verifiedCacheSize: a positive integer required (got 0)",
    });
  });
});
