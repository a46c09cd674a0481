import type { DataSource, EntityManager } from 'typeorm';

/**
 * `dataSource.transaction('READ COMMITTED', work)` in one round trip fewer: TypeORM opens a transaction
 * with two statements (START TRANSACTION, then SET TRANSACTION ISOLATION LEVEL …); this sends one
 * (BEGIN ISOLATION LEVEL READ COMMITTED), then COMMIT or ROLLBACK like TypeORM. The query runner is told
 * a transaction is open (as `startTransaction` would), so anything inside that asks TypeORM for a
 * transaction gets a savepoint, never a second BEGIN or an early COMMIT.
 */
export async function readCommittedTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  let open = false;
  try {
    await runner.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    open = true;
    state.isTransactionActive = true;
    state.transactionDepth = 1;
    const result = await work(runner.manager);
    open = false;
    await runner.query('COMMIT');
    return result;
  } catch (error) {
    if (open) await runner.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    state.isTransactionActive = false;
    state.transactionDepth = 0;
    await runner.release();
  }
}
