import { type Price, type PriceUnit, pricesRead, regionFactors } from "./prices";

/** A price as it applies to one region, with where it comes from. */
export interface ResolvedPrice {
  readonly usd: number;
  readonly unit: PriceUnit;
  readonly source: string;
  readonly read: string;
  /** Set when the price was not read for this region (or this size): the factor and its basis. */
  readonly estimated?: { readonly factor: number; readonly basis: string };
}

const round = (usd: number) => Math.round(usd * 1e6) / 1e6;

/** The price of `price` in `region`: read there, the same everywhere, or us-east-1's times the region's factor. */
export function resolvePrice(price: Price, region: string): ResolvedPrice {
  const base = { unit: price.unit, read: pricesRead };
  const derived = price.derived && {
    factor: price.derived.factor,
    basis: `${price.derived.factor} × ${price.derived.from} (${price.derived.why})`,
  };
  const readHere = price.regional?.[region];
  if (readHere) return { ...base, ...readHere, ...(derived ? { estimated: derived } : {}) };
  if (price.uniform || region === "us-east-1")
    return { ...base, usd: price.usd, source: price.source, ...(derived ? { estimated: derived } : {}) };
  const regional = regionFactors[region];
  if (!regional)
    throw new Error(`cost: region ${JSON.stringify(region)} has no factor in tools/plan/cost/prices.ts`);
  const factor = regional.factor * (derived?.factor ?? 1);
  const basis = [derived?.basis, `us-east-1 × ${regional.factor} (${regional.basis})`]
    .filter(Boolean)
    .join("; ");
  return {
    ...base,
    usd: round(price.usd * regional.factor),
    source: price.source,
    estimated: { factor: round(factor), basis },
  };
}
