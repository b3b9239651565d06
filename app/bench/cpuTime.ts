import { readFileSync } from "node:fs";
import { processesIn, servicesFolders } from "../../tools/services/cleanup";

// /proc/<pid>/stat reports CPU time in USER_HZ ticks, which Linux fixes at 100 per second.
const ticksPerMs = 100 / 1000;

/** A process whose CPU time a load run accounts for, under a name shared by its kind ("mysql"). */
export interface WatchedProcess {
  readonly name: string;
  readonly pid: number;
}

/**
 * User + system CPU time a process has used so far, in ms (Linux /proc; undefined elsewhere).
 * Unlike requests per second it hardly moves when other processes compete for the cores, so
 * the CPU cost per request explains an app/bare ratio on a busy machine.
 */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cpuTicks = Number(fields[11]) + Number(fields[12]); // utime + stime
    return Number.isFinite(cpuTicks) ? cpuTicks / ticksPerMs : undefined;
  } catch {
    return undefined;
  }
}

/** CPU ms so far per name (processes of one kind summed); names whose processes cannot be read are left out. */
export function cpuMsByName(processes: readonly WatchedProcess[]): Record<string, number> {
  const byName: Record<string, number> = {};
  for (const { name, pid } of processes) {
    const ms = processCpuMs(pid);
    if (ms !== undefined) byName[name] = (byName[name] ?? 0) + ms;
  }
  return byName;
}

const serviceNames: Record<string, string> = {
  "redis-server": "redis",
  mariadbd: "mysql",
  mysqld: "mysql",
  java: "kafka",
};

/** The Redis, MariaDB and Kafka servers tools/services started for this process (found by working directory). */
export function localServiceProcesses(): WatchedProcess[] {
  return servicesFolders()
    .filter((folder) => folder.owner === process.pid)
    .flatMap((folder) => processesIn(folder.folder))
    .flatMap((pid) => {
      try {
        const command = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
        const name = serviceNames[command];
        return name ? [{ name, pid }] : [];
      } catch {
        return [];
      }
    });
}
