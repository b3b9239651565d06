import type { MachineInfo } from "../bench/machine";
import { table } from "../bench/markdown";
import { normalRefusals } from "./accounting";
import type { FaultResult, LoadPlan } from "./runFault";

/** What one `npm run faults` writes to bench/results/faults-<UTC timestamp>.json. */
export interface FaultsDocument {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly wallSeconds: number;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly quick: boolean;
  readonly plan: LoadPlan;
  readonly faults: readonly FaultResult[];
  /** No fault lost, duplicated, stranded or oversold an order. */
  readonly passed: boolean;
}

const refusals = new Set<string>(normalRefusals);

/** The errors clients saw, most frequent first: `503 dependency_unavailable×12 ECONNREFUSED×40`. */
function errorsSeen(errors: Record<string, number>): string {
  const seen = Object.entries(errors)
    .filter(([outcome]) => !refusals.has(outcome))
    .sort((a, b) => b[1] - a[1])
    .map(([outcome, count]) => `${outcome}×${count}`);
  return seen.join(" ") || "–";
}

function refused(errors: Record<string, number>): number {
  return normalRefusals.reduce((sum, outcome) => sum + (errors[outcome] ?? 0), 0);
}

const bold = (n: number | undefined) => (n === undefined ? "n/a" : n > 0 ? `**${n}**` : "0");

export function formatFaultsMarkdown(doc: FaultsDocument): string {
  const rows = doc.faults.map((f) => {
    const a = f.accounting;
    return [
      f.id,
      String(a.accepted),
      `${a.stored}${a.rejected > 0 ? ` (${a.rejected} rejected)` : ""}`,
      bold(a.lost),
      bold(a.duplicatedById),
      bold(a.duplicatedByKey),
      bold(a.oversoldUnits),
      bold(a.strandedKeys),
      bold(a.strandedUnits),
      String(a.phantom),
      `${a.replaysWrong}/${a.replays}`,
      a.recoverySeconds === undefined ? "none" : a.recoverySeconds.toFixed(1),
      f.redelivered === undefined ? "n/a" : String(f.redelivered),
      String(refused(a.errors)),
      errorsSeen(a.errors),
      f.passed ? "pass" : "**FAIL**",
    ];
  });
  const header = [
    "Fault",
    "Accepted",
    "Stored",
    "Lost",
    "Dup id",
    "Dup key",
    "Oversold",
    "Stranded keys",
    "Stranded units",
    "Phantom",
    "Replays wrong",
    "Recovery s",
    "Redelivered",
    "Refused",
    "Errors clients saw",
    "Result",
  ];
  const align = header.map((_, i) => (i === 0 || i >= 14 ? "l" : "r") as "l" | "r");
  const restarts = doc.faults.flatMap((f) =>
    f.unplannedExits.map((e) => `${f.id}: ${e.role} ${e.how}, restarted`),
  );
  const p = doc.plan;
  return [
    `Fault suite (${doc.quick ? "--quick" : "full"}), ${doc.startedAt}: ${p.ordersPerSecond} new buyers/s, ` +
      `${p.leadSeconds} s of load before each fault and ${p.afterSeconds} s after it cleared; ` +
      `${doc.machine.cores} cores, ${doc.machine.cpuModel}`,
    "",
    ...table(header, align, rows),
    "",
    ...(restarts.length > 0 ? [`Unplanned exits: ${restarts.join("; ")}`, ""] : []),
    doc.passed
      ? "Every fault passed."
      : `Failed: ${doc.faults
          .filter((f) => !f.passed)
          .map((f) => f.id)
          .join(", ")}`,
  ].join("\n");
}
