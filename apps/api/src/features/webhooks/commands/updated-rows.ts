/** the rows of an `UPDATE … RETURNING` as TypeORM answers it ([rows, count] from pg, rows from others) */
export function updatedRows(result: unknown): unknown[] {
  const rows = result as [unknown[], number] | unknown[];
  return Array.isArray(rows[0]) ? (rows[0] as unknown[]) : (rows as unknown[]);
}
