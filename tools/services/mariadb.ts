import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "./command";
import { generatePassword, serviceUser } from "./credentials";
import { freePort, loopback } from "./ports";
import { retryOnPortTaken, ServerProcess } from "./process";
import type { MysqlShardService } from "./types";

/** The database in every shard, as `ShardedMysql` creates it (infra/mysql). */
const database = "crest";

const runsAsRoot = process.getuid?.() === 0;

/**
 * Server settings that bring MariaDB close to the shards' Aurora MySQL 8.0: full Unicode (MariaDB's
 * default is latin1), MySQL 8.0's default SQL mode, UTC. The rest keeps a test server small and quiet.
 */
function serverArgs(folder: string, port: number): string[] {
  return [
    "--no-defaults",
    ...(runsAsRoot ? ["--user=root"] : []),
    `--datadir=${join(folder, "data")}`,
    `--socket=${join(folder, "mysqld.sock")}`,
    `--pid-file=${join(folder, "mysqld.pid")}`,
    `--tmpdir=${folder}`,
    `--port=${port}`,
    `--bind-address=${loopback}`,
    "--skip-name-resolve",
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_unicode_ci",
    "--sql-mode=ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION",
    "--default-time-zone=+00:00",
    "--innodb-buffer-pool-size=64M",
    "--innodb-log-file-size=8M",
    "--skip-log-bin",
    "--performance-schema=OFF",
  ];
}

/** The workload's user and database, created at the first start (root keeps socket-only login). */
function bootstrapSql(password: string): string {
  return [
    `CREATE DATABASE IF NOT EXISTS ${database};`,
    `CREATE USER IF NOT EXISTS '${serviceUser}'@'%' IDENTIFIED BY '${password}';`,
    `GRANT ALL PRIVILEGES ON ${database}.* TO '${serviceUser}'@'%';`,
    "",
  ].join("\n");
}

class LocalMysqlShard implements MysqlShardService {
  readonly external = false;
  readonly host = loopback;
  readonly user = serviceUser;
  readonly database = database;
  readonly url: string;

  constructor(
    readonly port: number,
    readonly password: string,
    private readonly server: ServerProcess,
  ) {
    this.url = `mysql://${encodeURIComponent(serviceUser)}:${encodeURIComponent(password)}@${loopback}:${port}/${database}`;
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

/** One shard: its own mariadbd with its own data folder, so that stopping it leaves the others up. */
export function startMysqlShard(
  servicesFolder: string,
  index: number,
  onProgress: (line: string) => void,
): Promise<LocalMysqlShard> {
  const name = `mysql shard ${index}`;
  const folder = join(servicesFolder, `mysql-${index}`);
  return retryOnPortTaken(name, onProgress, async () => {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    onProgress(`${name}: initialising its data folder (mariadb-install-db)`);
    await runCommand(
      "mariadb-install-db",
      [
        "--no-defaults",
        ...(runsAsRoot ? ["--user=root"] : []),
        `--datadir=${join(folder, "data")}`,
        // Its temporary tables in its own folder: in a shared /tmp another process's cleanup
        // removed them mid-bootstrap ("Could not remove temporary table", then "Aborting").
        `--tmpdir=${folder}`,
        "--auth-root-authentication-method=socket",
        "--skip-test-db",
        "--innodb-log-file-size=8M",
      ],
      { cwd: folder },
    );
    const port = await freePort();
    const password = generatePassword();
    const initFile = join(folder, "bootstrap.sql");
    writeFileSync(initFile, bootstrapSql(password));
    chmodSync(initFile, 0o600);
    let firstStart = true;
    const server = new ServerProcess({
      name,
      command: "mariadbd",
      args: () => [...serverArgs(folder, port), ...(firstStart ? [`--init-file=${initFile}`] : [])],
      cwd: folder,
      logFile: join(folder, "mariadbd.log"),
      startTimeoutMs: 30_000,
      stopTimeoutMs: 20_000,
      isReady: async (log) => log().includes("ready for connections"),
    });
    onProgress(`${name}: starting on ${loopback}:${port}`);
    await server.start();
    firstStart = false;
    rmSync(initFile);
    return new LocalMysqlShard(port, password, server);
  });
}

/**
 * Runs SQL with the `mariadb` command-line client over TCP, as the shard's user, and returns its
 * tab-separated output without column names. The password travels in the environment, not in argv.
 */
export async function mysqlQuery(shard: MysqlShardService, sql: string): Promise<string> {
  const { stdout } = await runCommand(
    "mariadb",
    [
      "--no-defaults",
      "--protocol=TCP",
      `--host=${shard.host}`,
      `--port=${shard.port}`,
      `--user=${shard.user}`,
      `--database=${shard.database}`,
      "--batch",
      "--skip-column-names",
      "--connect-timeout=5",
    ],
    { env: { ...process.env, MYSQL_PWD: shard.password }, input: sql, timeoutMs: 15_000 },
  );
  return stdout;
}
