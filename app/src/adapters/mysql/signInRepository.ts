import type { ResultSetHeader, RowDataPacket } from "mysql2/promise";
import type { SignInRepository } from "../../domain/ports";
import type { ShardPools } from "./shardPools";

export class MysqlSignInRepository implements SignInRepository {
  constructor(private readonly pools: ShardPools) {}

  /**
   * The (user_id, day) primary key grants once: a concurrent second insert waits for the first
   * transaction and is then ignored, so its points are never added.
   */
  async grantDaily(
    userId: string,
    day: string,
    points: number,
  ): Promise<{ granted: boolean; totalPoints: number }> {
    const shard = this.pools.forUser(userId);
    return shard.guard.run(async () => {
      const connection = await shard.writer.getConnection();
      try {
        await connection.beginTransaction();
        const [insert] = await connection.query<ResultSetHeader>(
          "INSERT IGNORE INTO sign_ins (user_id, day, points) VALUES (?, ?, ?)",
          [userId, day, points],
        );
        const granted = insert.affectedRows === 1;
        if (granted) {
          await connection.query(
            "INSERT INTO user_points (user_id, points) VALUES (?, ?) ON DUPLICATE KEY UPDATE points = points + VALUES(points)",
            [userId, points],
          );
        }
        const [rows] = await connection.query<RowDataPacket[]>(
          "SELECT points FROM user_points WHERE user_id = ?",
          [userId],
        );
        await connection.commit();
        return { granted, totalPoints: Number(rows[0]?.points ?? 0) };
      } catch (error) {
        await connection.rollback().catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    });
  }
}
