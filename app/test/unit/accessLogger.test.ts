import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";

const loggerModule = join(__dirname, "..", "..", "src", "observability", "logger.ts");

/** Runs `body` in a fresh Node process with `createLogger` and `createAccessLogger` in scope. */
function runWithLoggers(body: string): { stdout: string; status: number | null } {
  const script = `
    const { createAccessLogger, createLogger } = require(${JSON.stringify(loggerModule)});
    const logger = createLogger("test");
    const access = createAccessLogger(logger);
    ${body}
  `;
  const result = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
    encoding: "utf8",
    timeout: 20_000,
  });
  return { stdout: result.stdout, status: result.status };
}

const lines = (stdout: string) =>
  stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("createAccessLogger (the buffered access log)", () => {
  it("keeps the logger's fields and level, and writes its block out when the process exits", () => {
    const { stdout, status } = runWithLoggers(`
      for (let i = 0; i < 3; i++) access.info({ n: i }, "request completed");
      access.debug("below the level");
      process.exit(3);
    `);
    assert.equal(status, 3);
    const written = lines(stdout);
    assert.deepEqual(
      written.map((l) => [l.msg, l.n, l.service, l.mode]),
      [0, 1, 2].map((n) => ["request completed", n, "crest-app", "test"]),
    );
  });

  it("writes lines within its flush period while the process keeps running", () => {
    // The process stays alive on a timer and is killed with SIGKILL, which no exit hook survives:
    // the line is on stdout only because the periodic flush wrote it.
    const { stdout } = runWithLoggers(`
      access.info("request completed");
      setTimeout(() => process.kill(process.pid, "SIGKILL"), 1000);
    `);
    assert.deepEqual(
      lines(stdout).map((l) => l.msg),
      ["request completed"],
    );
  });

  it("buffers: a line is not written at once", () => {
    const { stdout } = runWithLoggers(`
      access.info("request completed");
      process.kill(process.pid, "SIGKILL");
    `);
    assert.equal(stdout, "", "a line reached stdout before the block was written");
  });
});
