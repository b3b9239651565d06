import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  retryOnPortTaken,
  ServerProcess,
  type ServerSpec,
  ServerStartError,
} from "../../tools/services/process";
import { refusesConnections } from "./support";

const folder = mkdtempSync(join(tmpdir(), "crest-process-test-"));
after(() => rmSync(folder, { recursive: true, force: true }));

function spec(
  name: string,
  command: string,
  args: string[],
  overrides: Partial<ServerSpec> = {},
): ServerSpec {
  return {
    name,
    command,
    args: () => args,
    cwd: folder,
    logFile: join(folder, `${name}.log`),
    startTimeoutMs: 10_000,
    stopTimeoutMs: 5_000,
    isReady: async () => false,
    ...overrides,
  };
}

test("a server that exits while starting fails with its exit code and the tail of its log", async () => {
  const server = new ServerProcess(
    spec("crasher", "sh", ["-c", "echo 'fatal: bad config line 3' >&2; exit 3"]),
  );
  await assert.rejects(server.start(), (error: Error) => {
    assert.ok(error instanceof ServerStartError);
    assert.match(
      error.message,
      /^crasher exited with code 3; last lines of .*crasher\.log:\nfatal: bad config line 3$/,
    );
    assert.equal(error.portInUse, false);
    return true;
  });
  assert.equal(server.running, false);
});

test("a server that is never ready is killed after the start timeout", async () => {
  const server = new ServerProcess(
    spec("sleeper", "sh", ["-c", "echo waiting; exec sleep 60"], { startTimeoutMs: 300, stopTimeoutMs: 200 }),
  );
  await assert.rejects(server.start(), {
    message: /^sleeper was not ready after 300 ms; last lines of .*\nwaiting$/,
  });
  assert.equal(server.running, false);
});

test("a missing binary is reported as such", async () => {
  const server = new ServerProcess(spec("ghost", "/nonexistent/ghost-server", []));
  await assert.rejects(server.start(), {
    message: /^ghost could not be run \(spawn \/nonexistent\/ghost-server ENOENT\); .*ghost\.log is empty$/,
  });
});

test("redis-server on a taken port is recognised as a port race", async () => {
  const squatter = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => squatter.once("listening", resolve));
  const address = squatter.address();
  assert.ok(address && typeof address === "object");
  try {
    const server = new ServerProcess(
      spec("redis", "redis-server", ["--port", String(address.port), "--bind", "127.0.0.1", "--save", ""]),
    );
    await assert.rejects(
      server.start(),
      (error: Error) => error instanceof ServerStartError && error.portInUse,
    );
  } finally {
    squatter.close();
  }
});

/** Runs retryOnPortTaken over attempts that throw `failures` in turn, then succeed; counts the attempts. */
async function attemptsUntil(failures: readonly Error[]): Promise<{ calls: number; progress: string[] }> {
  const progress: string[] = [];
  let calls = 0;
  await retryOnPortTaken(
    "svc",
    (line) => progress.push(line),
    async () => {
      const failure = failures[calls++];
      if (failure) throw failure;
    },
  ).catch(() => undefined);
  return { calls, progress };
}

test("retryOnPortTaken retries port races only, at most three times", async () => {
  const race = new ServerStartError("port taken", true);
  assert.deepEqual(await attemptsUntil([race, race]), {
    calls: 3,
    progress: Array(2).fill("svc: its port was taken before it could bind it; retrying on a new port"),
  });
  assert.equal((await attemptsUntil([race, race, race, race])).calls, 3);
  assert.equal((await attemptsUntil([new ServerStartError("bad config", false)])).calls, 1);
  await assert.rejects(
    retryOnPortTaken(
      "svc",
      () => {},
      () => Promise.reject(race),
    ),
    race,
  );
});

test("stop() ends a running server so that its port refuses connections", async () => {
  const server = new ServerProcess(
    spec(
      "listener",
      process.execPath,
      [
        "-e",
        "require('net').createServer().listen(0,'127.0.0.1',function(){console.log('port '+this.address().port)})",
      ],
      {
        isReady: async (log) => /port \d+/.test(log()),
      },
    ),
  );
  await server.start();
  const port = Number(/port (\d+)/.exec(readFileSync(join(folder, "listener.log"), "utf8"))?.[1]);
  assert.equal(await refusesConnections(port), false);
  await server.stop();
  assert.equal(await refusesConnections(port), true);
  await server.stop();
});
