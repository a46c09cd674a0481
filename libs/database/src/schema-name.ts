const SAFE_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Schema names travel inside the libpq `options` startup parameter and into DDL, so only plain
 * lower-case identifiers are accepted (no quoting rules to get wrong).
 */
export function checkSchemaName(schema: string): string {
  if (!SAFE_IDENTIFIER.test(schema)) {
    throw new Error(`Schema name "${schema}" is not allowed: use lower-case letters, digits and _ (max 63, not starting with a digit).`);
  }
  return schema;
}
