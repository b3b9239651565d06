import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freePort, loopback } from "./ports";
import { retryOnPortTaken, ServerProcess } from "./process";
import { redisCommand } from "./resp";
import type { RedisService } from "./types";

/**
 * Redis persists only when it stops: no save points while it runs (`--save ""`), and SIGTERM writes a
 * snapshot (`shutdown-on-sigterm save`), so `stop()` then `start()` comes back with the same keys,
 * like a primary that fails over to its replica in ElastiCache, at no disk cost during a test.
 */
function redisArgs(folder: string, port: number): string[] {
  return [
    ...["--port", String(port), "--bind", loopback, "--protected-mode", "yes"],
    ...["--dir", folder, "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no"],
    ...["--shutdown-on-sigterm", "save", "--daemonize", "no", "--logfile", ""],
  ];
}

class LocalRedis implements RedisService {
  readonly external = false;
  readonly host = loopback;
  readonly url: string;

  constructor(
    readonly port: number,
    private readonly server: ServerProcess,
  ) {
    this.url = `redis://${loopback}:${port}`;
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

export function startRedis(servicesFolder: string, onProgress: (line: string) => void): Promise<LocalRedis> {
  const folder = join(servicesFolder, "redis");
  return retryOnPortTaken("redis", onProgress, async () => {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    const port = await freePort();
    const server = new ServerProcess({
      name: "redis",
      command: "redis-server",
      args: () => redisArgs(folder, port),
      cwd: folder,
      logFile: join(folder, "redis.log"),
      startTimeoutMs: 15_000,
      stopTimeoutMs: 10_000,
      isReady: async () => (await redisCommand(loopback, port, ["PING"], 500)) === "PONG",
    });
    onProgress(`redis: starting on ${loopback}:${port}`);
    await server.start();
    return new LocalRedis(port, server);
  });
}
