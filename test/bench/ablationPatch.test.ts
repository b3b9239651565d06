import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../support/cli";

const patch = join(repoRoot, "bench", "ablations", "order-path.patch");

// The README's blocked-target analysis rests on this patch: a change to the order path that it no
// longer applies to must refresh it, or the figures could not be reproduced.
describe("bench/ablations/order-path.patch", () => {
  it("applies cleanly to the current order path", () => {
    execFileSync("git", ["apply", "--check", patch], { cwd: repoRoot, stdio: "pipe" });
  });

  it("implements every variant its README documents", () => {
    const readme = readFileSync(join(repoRoot, "bench", "ablations", "README.md"), "utf8");
    const variants = [...readme.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(variants, ["rate-limit", "redis", "kafka"]);
    const text = readFileSync(patch, "utf8");
    for (const variant of variants) assert.ok(text.includes(`"${variant}"`), `the patch handles ${variant}`);
  });
});
