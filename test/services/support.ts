import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { processesIn, servicesFolders } from "../../tools/services/cleanup";
import { acceptsConnections } from "../../tools/services/ports";
import { repoRoot } from "../support/cli";

export async function refusesConnections(port: number): Promise<boolean> {
  return !(await acceptsConnections(port));
}

/** The services folders this test process owns, and the server processes still running in them. */
export function ownLeftovers(): { folders: string[]; processes: number[] } {
  const folders = servicesFolders()
    .filter((entry) => entry.owner === process.pid)
    .map((entry) => entry.folder);
  return { folders, processes: folders.flatMap((folder) => processesIn(folder)) };
}

/** Sets environment variables for the duration of `use`, then restores what was there. */
export async function withEnv<T>(
  vars: Record<string, string | undefined>,
  use: () => Promise<T>,
): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  try {
    return await use();
  } finally {
    apply(saved);
  }
}

export interface Holder {
  readonly child: ChildProcess;
  readonly folders: string[];
  readonly redisPort: number;
}

/** Starts test/services/fixtures/holdServices.ts and waits for the line that says where its servers are. */
export async function startHolder(mode: "wait" | "exit"): Promise<Holder> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(__dirname, "fixtures/holdServices.ts"), mode],
    {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  for (;;) {
    const line = output.split("\n").find((candidate) => candidate.startsWith("{"));
    if (line) return { child, ...(JSON.parse(line) as { folders: string[]; redisPort: number }) };
    if (child.exitCode !== null) throw new Error(`holdServices exited with ${child.exitCode}: ${output}`);
    await Promise.race([once(child.stdout ?? child, "data"), once(child, "exit")]);
  }
}
