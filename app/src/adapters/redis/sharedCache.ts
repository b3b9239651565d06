import type { SharedCache } from "../../domain/ports";
import type { DependencyGuard } from "../dependencyGuard";
import type { RedisClient } from "./client";

export class RedisSharedCache implements SharedCache {
  constructor(
    private readonly client: RedisClient,
    private readonly guard: DependencyGuard,
  ) {}

  get(key: string): Promise<string | null> {
    return this.guard.run(() => this.client.get(key));
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.guard.run(() => this.client.set(key, value, "EX", ttlSeconds));
  }

  async counter(key: string): Promise<number> {
    const value = await this.guard.run(() => this.client.get(key));
    return value === null ? 0 : Number(value);
  }

  increment(key: string): Promise<number> {
    return this.guard.run(() => this.client.incr(key));
  }
}
