/** TypeORM wraps driver errors in QueryFailedError; the PostgreSQL fields live on `driverError`. */
export function pgError(error: unknown): { code?: string; constraint?: string } {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  return e.driverError ?? e;
}

export const UNIQUE_VIOLATION = '23505';
