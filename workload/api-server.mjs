// The API as production runs it (compiled by `npm run build`: dist/), for the workload and the fault tests.
// Env: the API's own settings (DATABASE_URL, PORT, …) plus API_SCHEMA (default public). Listens on 127.0.0.1
// only and prints "listening <port>" when ready. SIGTERM closes it (projections stop, the pool closes).
import 'reflect-metadata';
import { openDatabase } from '#app/database';
import { migrations } from '../dist/migrations/index.js';
import { loadConfig } from '../dist/apps/api/src/platform/config/app-config.js';
import { createApp } from '../dist/apps/api/src/create-app.js';

const config = loadConfig();
const database = await openDatabase({
  migrations,
  databaseUrl: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  schema: process.env.API_SCHEMA || 'public',
});
const app = await createApp(config, { database });
await app.listen(config.PORT, '127.0.0.1');
process.stdout.write(`listening ${app.getHttpServer().address().port}\n`);
