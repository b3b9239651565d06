import { LRUCache } from "lru-cache";
import { DependencyUnavailableError } from "./errors";
import type { SharedCache } from "./ports";

export interface TieredCacheSettings {
  readonly l1Seconds: number;
  readonly l1StaleSeconds: number;
  readonly redisSeconds: number;
  readonly negativeSeconds: number;
  readonly l1MaxEntries?: number;
}

export type CacheTier = "l1" | "redis" | "origin" | "stale";
export type CacheLookupRecorder = (tier: "l1" | "redis", result: "hit" | "miss" | "stale" | "error") => void;

interface L1Entry {
  readonly value: unknown;
  readonly freshUntil: number;
}

// The shared tier stores a JSON envelope, so "not found" can be cached like any value.
type Envelope = { readonly found: true; readonly value: unknown } | { readonly found: false };

/**
 * Cache-aside over two tiers: an in-process L1 (seconds) and the shared cache (Redis) in front of
 * the origin (a shard reader). Redis TTLs get ±10% jitter so keys written together do not expire
 * together; "not found" is cached briefly (penetration); concurrent misses for a key share one
 * load (single-flight, per process). When Redis fails the lookup falls through to the origin, and
 * when the origin fails too an expired L1 entry is served (stale-if-error).
 */
export class TieredCache {
  private readonly l1: LRUCache<string, L1Entry>;
  private readonly inFlight = new Map<string, Promise<{ value: unknown; tier: CacheTier }>>();

  constructor(
    private readonly shared: SharedCache,
    private readonly settings: TieredCacheSettings,
    private readonly record: CacheLookupRecorder,
    private readonly now: () => number = Date.now,
  ) {
    this.l1 = new LRUCache({
      max: settings.l1MaxEntries ?? 10_000,
      ttl: (settings.l1Seconds + settings.l1StaleSeconds) * 1000,
    });
  }

  /** The value (undefined when the origin has none) and the tier that answered. */
  async get<T>(
    key: string,
    load: () => Promise<T | undefined>,
  ): Promise<{ value: T | undefined; tier: CacheTier }> {
    const cached = this.l1.get(key);
    if (cached && cached.freshUntil > this.now()) {
      this.record("l1", "hit");
      return { value: cached.value as T | undefined, tier: "l1" };
    }
    this.record("l1", "miss");
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.loadThrough(key, load, cached).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const result = await pending;
    return { value: result.value as T | undefined, tier: result.tier };
  }

  private async loadThrough(
    key: string,
    load: () => Promise<unknown>,
    stale: L1Entry | undefined,
  ): Promise<{ value: unknown; tier: CacheTier }> {
    const fromShared = await this.readShared(key);
    if (fromShared) {
      const value = fromShared.found ? fromShared.value : undefined;
      this.remember(key, value);
      return { value, tier: "redis" };
    }
    let value: unknown;
    try {
      value = await load();
    } catch (error) {
      if (stale && error instanceof DependencyUnavailableError) {
        this.record("l1", "stale");
        return { value: stale.value, tier: "stale" };
      }
      throw error;
    }
    this.remember(key, value);
    await this.writeShared(key, value);
    return { value, tier: "origin" };
  }

  private async readShared(key: string): Promise<Envelope | undefined> {
    try {
      const text = await this.shared.get(key);
      this.record("redis", text === null ? "miss" : "hit");
      return text === null ? undefined : (JSON.parse(text) as Envelope);
    } catch {
      this.record("redis", "error");
      return undefined;
    }
  }

  private async writeShared(key: string, value: unknown): Promise<void> {
    const envelope: Envelope = value === undefined ? { found: false } : { found: true, value };
    const base = value === undefined ? this.settings.negativeSeconds : this.settings.redisSeconds;
    const ttl = Math.max(1, Math.round(base * (0.9 + Math.random() * 0.2)));
    // A failed write only costs a later miss; the caller already has its value.
    await this.shared.set(key, JSON.stringify(envelope), ttl).catch(() => undefined);
  }

  private remember(key: string, value: unknown): void {
    const freshMs =
      (value === undefined
        ? Math.min(this.settings.l1Seconds, this.settings.negativeSeconds)
        : this.settings.l1Seconds) * 1000;
    this.l1.set(key, { value, freshUntil: this.now() + freshMs });
  }
}
