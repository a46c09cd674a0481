import { MigrationExecutor, type DataSource } from 'typeorm';

/**
 * Runs the pending migrations while holding a session advisory lock, so an API and a worker that start
 * together do not both apply the same migration. The lock is per schema (hashtext of its name). The
 * migrations run on the connection holding the lock, so a pool of one connection is enough.
 */
export async function runMigrationsLocked(dataSource: DataSource, schema: string): Promise<void> {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  try {
    await queryRunner.query(`SELECT pg_advisory_lock(hashtext($1))`, [`migrations:${schema}`]);
    try {
      const executor = new MigrationExecutor(dataSource, queryRunner);
      executor.transaction = 'all';
      await executor.executePendingMigrations();
    } finally {
      await queryRunner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`migrations:${schema}`]);
    }
  } finally {
    await queryRunner.release();
  }
}
