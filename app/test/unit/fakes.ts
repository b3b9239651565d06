import type { SharedCache } from "../../src/domain/ports";

/** An in-memory SharedCache that counts calls and can be switched to failing, like Redis going down. */
export class MemoryCache implements SharedCache {
  readonly values = new Map<string, { value: string; ttlSeconds: number }>();
  down = false;
  gets = 0;

  async get(key: string): Promise<string | null> {
    this.gets++;
    this.failIfDown();
    return this.values.get(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.failIfDown();
    this.values.set(key, { value, ttlSeconds });
  }

  async counter(key: string): Promise<number> {
    this.failIfDown();
    return Number(this.values.get(key)?.value ?? 0);
  }

  async increment(key: string): Promise<number> {
    this.failIfDown();
    const next = Number(this.values.get(key)?.value ?? 0) + 1;
    this.values.set(key, { value: String(next), ttlSeconds: 0 });
    return next;
  }

  private failIfDown(): void {
    if (this.down) throw new Error("connection refused");
  }
}
