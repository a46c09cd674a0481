/**
 * The value a test expects to be there, or a failure that says so: narrows `T | undefined | null` to `T`
 * where a non-null assertion (`x!`) would only move the failure to a TypeError further on.
 * test/ uses it too (test/support/present.ts re-exports it).
 */
export function present<T>(value: T | null | undefined, what = 'a value'): T {
  if (value === undefined || value === null) throw new Error(`Expected ${what}, got ${String(value)}.`);
  return value;
}
