export type { DatabaseConfig, DatabaseKind, OpenDatabase } from './database.port.js';
export { openDatabase } from './open-database.js';
export { checkSchemaName } from './schema-name.js';
