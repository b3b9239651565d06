import { z } from "zod";
import type { Problem } from "../lib/problems";
import { allowed, integer } from "../lib/schema";

/** The highest request rate a declared sale may name: far above any single stack's reach, a typo guard. */
const maxRequestsPerSecond = 10_000_000;

const perSecond = (what: string) => integer(0, maxRequestsPerSecond, `${what} per second`);

/** Five cron fields, as a Kubernetes CronJob's `schedule` takes them (no seconds, no macros). */
const cronSchedule = z
  .string(allowed('a cron schedule of five fields, e.g. "50 19 * * *"'))
  .regex(
    /^\s*(\S+\s+){4}\S+\s*$/,
    allowed(
      'a cron schedule of five fields (minute hour day-of-month month day-of-week), e.g. "50 19 * * *"',
    ),
  );

const ianaTimeZones = new Set(Intl.supportedValuesOf("timeZone"));

/** When a recurring sale starts and ends, as the pre-scale CronJobs run it. */
export const saleWindowSchema = z.strictObject(
  {
    preScaleSchedule: cronSchedule.describe(
      "When the API's HPA minReplicas is raised to the pre-scale the simulation finds (before the sale starts: lead it by at least the time to full capacity).",
    ),
    restoreSchedule: cronSchedule.describe("When the HPA's minReplicas goes back to the configured minimum."),
    timeZone: z
      .string(allowed('an IANA time zone name such as "Asia/Shanghai"'))
      .refine((zone) => ianaTimeZones.has(zone), allowed('an IANA time zone name such as "Asia/Shanghai"'))
      .describe("Time zone of both schedules (a CronJob's timeZone)."),
  },
  allowed("a map with preScaleSchedule, restoreSchedule and timeZone"),
);

export type SaleWindow = z.output<typeof saleWindowSchema>;

/**
 * The flash sale a stack must survive: a linear ramp from the baseline to the peak, the peak held
 * for the duration. The plan checks the sizes against its peak and replays its ramp.
 */
export const declaredSaleSchema = z.object({
  peakReadsPerSecond: perSecond("reads")
    .describe("Cached reads (product and stock pages) per second at the sale's peak.")
    .default(20_000),
  peakOrderAttemptsPerSecond: perSecond("order attempts")
    .describe("Order attempts per second at the peak, accepted or refused (sold out, rate limited).")
    .default(5_000),
  expectedOrdersPerSecond: perSecond("orders")
    .describe(
      "Orders per second that succeed at the peak (the stock limits them): what the worker writes to MySQL.",
    )
    .default(500),
  baselineReadsPerSecond: perSecond("reads")
    .describe("Reads per second before the sale starts.")
    .default(200),
  baselineOrderAttemptsPerSecond: perSecond("order attempts")
    .describe("Order attempts per second before the sale starts.")
    .default(20),
  orderAttemptsPerBuyerPerSecond: integer(1, 100, "attempts per second from one buyer")
    .describe(
      "How fast one buyer tries to order during the sale, taps and retries: the attempts come from attempts ÷ this many buyers. The per-user rate limit (the app's token bucket: 5 at once, then 1 a second) refuses what a buyer tries beyond it; at 1 it refuses nothing.",
    )
    .default(1),
  rampSeconds: integer(0, 3600, "an hour at most")
    .describe("Seconds from the baseline to the peak.")
    .default(30),
  durationSeconds: integer(1, 86_400, "a day at most").describe("Seconds the peak lasts.").default(300),
  saleWindow: saleWindowSchema
    .optional()
    .describe(
      "A recurring sale's window: the stack then owns CronJobs that pre-scale the API before it and restore after.",
    ),
});

export type DeclaredSale = z.output<typeof declaredSaleSchema>;

/** What the rates demand of each other: a baseline at most its peak, successes at most the attempts. */
export function declaredSaleProblems(sale: DeclaredSale): Problem[] {
  const problems: Problem[] = [];
  const atMost = (path: keyof DeclaredSale, value: number, limit: keyof DeclaredSale, max: number) => {
    if (value > max) problems.push({ path, value, allowed: `at most ${limit} (${max})` });
  };
  atMost(
    "baselineReadsPerSecond",
    sale.baselineReadsPerSecond,
    "peakReadsPerSecond",
    sale.peakReadsPerSecond,
  );
  atMost(
    "baselineOrderAttemptsPerSecond",
    sale.baselineOrderAttemptsPerSecond,
    "peakOrderAttemptsPerSecond",
    sale.peakOrderAttemptsPerSecond,
  );
  atMost(
    "expectedOrdersPerSecond",
    sale.expectedOrdersPerSecond,
    "peakOrderAttemptsPerSecond",
    sale.peakOrderAttemptsPerSecond,
  );
  if (sale.peakReadsPerSecond + sale.peakOrderAttemptsPerSecond === 0) {
    problems.push({
      path: "peakReadsPerSecond",
      value: 0,
      allowed: "a sale with some load at its peak (peakReadsPerSecond or peakOrderAttemptsPerSecond above 0)",
    });
  }
  return problems;
}
