import type { z } from "zod";
import type { DeclaredSale } from "../../infra/capacity/args";
import type { RegionName } from "./regions";
import type {
  clusterSchema,
  edgeSchema,
  kafkaSchema,
  mysqlSchema,
  networkSchema,
  redisSchema,
  storageSchema,
  Tier,
  wechatSchema,
  workloadSchema,
} from "./schema";

/**
 * A config section as the stack runs on it: every key the stack file may set (the composed schema's,
 * so no field is listed twice), each resolved, since the tier supplies what the file leaves out.
 * Nested maps resolve the same way; lists stay as the component takes them.
 */
type Resolved<T> = {
  readonly [K in keyof T]-?: Exclude<T[K], undefined> extends readonly unknown[]
    ? Exclude<T[K], undefined>
    : Exclude<T[K], undefined> extends object
      ? Resolved<Exclude<T[K], undefined>>
      : Exclude<T[K], undefined>;
};

/** The resolved settings of one config section, from the schema that section is parsed with. */
type Section<Schema extends z.ZodType> = Resolved<z.output<Schema>>;

export type NetworkSettings = Section<typeof networkSchema>;
export type MysqlSettings = Section<typeof mysqlSchema>;
export type RedisSettings = Section<typeof redisSchema>;
export type KafkaSettings = Section<typeof kafkaSchema>;
export type ClusterSettings = Section<typeof clusterSchema>;
export type WorkloadSettings = Section<typeof workloadSchema>;
export type EdgeSettings = Section<typeof edgeSchema>;
export type WechatSettings = Section<typeof wechatSchema>;

/** The disaster-recovery region has no tier default: absent means no replication. Loading checks it names a region. */
export type StorageSettings = Omit<Section<typeof storageSchema>, "drRegion"> & {
  readonly drRegion?: RegionName;
};

/** A stack's settings with tier defaults applied, validated as a whole. */
export interface StackConfig {
  readonly stack: string;
  readonly tier: Tier;
  readonly region: RegionName;
  readonly accountId: string;
  readonly owner: string;
  readonly costCenter: string;
  /** Deletion protection, final snapshots and Pulumi `protect` on stateful resources: set by the tier. */
  readonly protect: boolean;
  readonly network: NetworkSettings;
  readonly mysql: MysqlSettings;
  readonly redis: RedisSettings;
  readonly kafka: KafkaSettings;
  readonly storage: StorageSettings;
  readonly cluster: ClusterSettings;
  readonly workload: WorkloadSettings;
  readonly edge: EdgeSettings;
  readonly wechat: WechatSettings;
  /** The declared flash sale; its window (pre-scale schedule) only when the stack sets one. */
  readonly capacity: DeclaredSale;
}
