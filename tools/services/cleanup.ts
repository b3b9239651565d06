import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * No server outlives the process that started it: every server process runs with its working
 * directory inside a services folder, and the folder is removed when the servers stop. On exit the
 * remaining servers are killed; on SIGINT, SIGTERM or SIGHUP they are stopped in order first. A process
 * killed outright (SIGKILL) cannot clean up, so the next start sweeps folders whose owner is gone.
 */

const folderPrefix = "crest-services-";
const ownerFile = "owner.pid";
const signalStopTimeoutMs = 20_000;

export interface KillableProcess {
  /** Kills the process at once (SIGKILL); safe to call when it has already exited. */
  killNow(): void;
}

const liveProcesses = new Set<KillableProcess>();
const liveFolders = new Set<string>();
const signalStops = new Set<() => Promise<void>>();

export function trackProcess(process: KillableProcess): void {
  liveProcesses.add(process);
}

export function untrackProcess(process: KillableProcess): void {
  liveProcesses.delete(process);
}

function killAllNow(): void {
  for (const child of liveProcesses) child.killNow();
  liveProcesses.clear();
  for (const folder of liveFolders) rmSync(folder, { recursive: true, force: true });
  liveFolders.clear();
}

const signalNumbers = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
type HandledSignal = keyof typeof signalNumbers;

function onSignal(signal: HandledSignal): void {
  const stops = [...signalStops].map((stop) => stop().catch(() => undefined));
  const deadline = new Promise((resolve) => setTimeout(resolve, signalStopTimeoutMs).unref());
  void Promise.race([Promise.all(stops), deadline]).finally(() => process.exit(128 + signalNumbers[signal]));
}

let hooksInstalled = false;

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", killAllNow);
  for (const signal of Object.keys(signalNumbers) as HandledSignal[]) process.on(signal, onSignal);
}

function removeHooks(): void {
  if (!hooksInstalled || liveFolders.size > 0) return;
  hooksInstalled = false;
  process.off("exit", killAllNow);
  for (const signal of Object.keys(signalNumbers) as HandledSignal[]) process.off(signal, onSignal);
}

/** A new temporary folder for one set of services, owned by this process until {@link removeServicesFolder}. */
export function createServicesFolder(stopOnSignal: () => Promise<void>): string {
  const folder = mkdtempSync(join(tmpdir(), folderPrefix));
  writeFileSync(join(folder, ownerFile), `${process.pid}\n`);
  liveFolders.add(folder);
  signalStops.add(stopOnSignal);
  installHooks();
  return folder;
}

export function removeServicesFolder(folder: string, stopOnSignal: () => Promise<void>): void {
  rmSync(folder, { recursive: true, force: true });
  liveFolders.delete(folder);
  signalStops.delete(stopOnSignal);
  removeHooks();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Processes whose working directory is inside `folder`: the servers started there (Linux /proc). */
export function processesIn(folder: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === folder || cwd.startsWith(`${folder}/`)) pids.push(Number(entry));
    } catch {
      // The process exited while the list was read, or is not ours to inspect.
    }
  }
  return pids;
}

export interface ServicesFolder {
  readonly folder: string;
  /** The process that created it and stops its servers. */
  readonly owner: number;
}

/** The services folders in the temporary directory, of every process. */
export function servicesFolders(): ServicesFolder[] {
  const found: ServicesFolder[] = [];
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(folderPrefix)) continue;
    const folder = join(tmpdir(), name);
    try {
      const owner = Number(readFileSync(join(folder, ownerFile), "utf8"));
      if (Number.isInteger(owner) && owner > 0) found.push({ folder, owner });
    } catch {
      // being created right now, or removed since the listing
    }
  }
  return found;
}

/** Kills the servers and removes the folders left by processes that died without cleaning up. */
export function sweepOrphans(onProgress: (line: string) => void): void {
  if (!existsSync("/proc")) return;
  for (const { folder, owner } of servicesFolders()) {
    if (isAlive(owner)) continue;
    const orphans = processesIn(folder);
    for (const pid of orphans) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // exited since the list was read
      }
    }
    rmSync(folder, { recursive: true, force: true });
    onProgress(`removed ${folder} left by dead process ${owner} (killed ${orphans.length} orphan server(s))`);
  }
}
