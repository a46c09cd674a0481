import type { EntityManager } from 'typeorm';

/**
 * Multi-row writes for projections: a batch's rows go to PostgreSQL as one array parameter per column and
 * are unpacked with `unnest` (one statement per table and kind of change, not one per event or entity).
 * Column types are PostgreSQL's (`text`, `int`, `bigint`, `timestamptz`, `jsonb`, `boolean`, `date`…);
 * values as the `pg` driver sends them (a Date, an ISO string, a JSON text for jsonb, null).
 */
export type Columns = Readonly<Record<string, string>>;

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const TYPE = /^[a-z][a-z0-9 ]{0,30}$/;

function check(table: string, columns: Columns): string[] {
  if (!NAME.test(table)) throw new Error(`"${table}" is not a plain table name.`);
  const names = Object.keys(columns);
  for (const name of names) {
    if (!NAME.test(name) || !TYPE.test(columns[name])) throw new Error(`Bad column ${name} ${columns[name]} of ${table}.`);
  }
  return names;
}

/**
 * The rows as one parameter per column, unpacked side by side (`ROWS FROM`, which is what a multi-argument
 * `unnest` is). A `jsonb` column whose values are all JSON texts goes as one JSON array through
 * `jsonb_array_elements` instead of a `jsonb[]`: an array literal escapes every quote of every document and
 * the server unescapes it before parsing (inserting 1 000 course states of ~1 KB: 49 ms against 39 ms). A
 * `json` column likewise, through `json_array_elements`.
 */
function unnest(
  columns: Columns,
  names: readonly string[],
  rows: readonly (readonly unknown[])[],
  offset = 0,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const sources = names.map((n, i) => {
    const values = rows.map((row) => row[i] ?? null);
    const at = `$${i + 1 + offset}`;
    const json = columns[n] === 'jsonb' || columns[n] === 'json' ? columns[n] : undefined;
    if (json && values.every((v) => typeof v === 'string')) {
      params.push(`[${values.join(',')}]`);
      return `${json}_array_elements(${at}::${json})`;
    }
    params.push(values);
    return `unnest(${at}::${columns[n]}[])`;
  });
  return { sql: `ROWS FROM (${sources.join(', ')})`, params };
}

/**
 * `INSERT INTO table (columns) SELECT * FROM unnest(…) <onConflict>`; `rows` hold the values in the
 * order of `columns`. With `ON CONFLICT … DO UPDATE`, a key may appear only once in `rows`.
 */
export async function insertRows(
  manager: EntityManager,
  table: string,
  columns: Columns,
  rows: readonly (readonly unknown[])[],
  onConflict = '',
): Promise<void> {
  if (rows.length === 0) return;
  const names = check(table, columns);
  const { sql, params } = unnest(columns, names, rows);
  await manager.query(`INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM ${sql} AS r(${names.join(', ')}) ${onConflict}`, params);
}

/** `ON CONFLICT (key) DO UPDATE SET c = EXCLUDED.c, …` for every column not in `key` (or only `only`) */
export function upsertClause(key: readonly string[], columns: Columns, only?: readonly string[]): string {
  const set = (only ?? Object.keys(columns).filter((c) => !key.includes(c))).map((c) => `${c} = EXCLUDED.${c}`);
  return `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${set.join(', ')}`;
}

/** deletes the rows whose `columns` equal one of `keys` (one statement) */
export async function deleteRows(
  manager: EntityManager,
  table: string,
  columns: Columns,
  keys: readonly (readonly unknown[])[],
): Promise<void> {
  if (keys.length === 0) return;
  const names = check(table, columns);
  const { sql, params } = unnest(columns, names, keys);
  await manager.query(
    `DELETE FROM ${table} t USING ${sql} AS k(${names.join(', ')}) WHERE ${names.map((n) => `t.${n} = k.${n}`).join(' AND ')}`,
    params,
  );
}

/** `UPDATE table SET <set columns> FROM unnest(…) WHERE <key columns> match`: `rows` are key values then set values */
export async function updateRows(
  manager: EntityManager,
  table: string,
  key: Columns,
  set: Columns,
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = { ...key, ...set };
  const names = check(table, columns);
  const keyNames = Object.keys(key);
  const { sql, params } = unnest(columns, names, rows);
  await manager.query(
    `UPDATE ${table} t SET ${Object.keys(set)
      .map((n) => `${n} = u.${n}`)
      .join(', ')} FROM ${sql} AS u(${names.join(', ')})
     WHERE ${keyNames.map((n) => `t.${n} = u.${n}`).join(' AND ')}`,
    params,
  );
}
