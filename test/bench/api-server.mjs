// The API for `npm run bench`, as production runs it (compiled by `npm run build`, dist/), on a schema of its own.
// Env: BENCH_DATABASE_URL, BENCH_SCHEMA, and the API's own settings. Prints "listening <port>" when ready.
import 'reflect-metadata';
import { openDatabase } from '#app/database';
import { loadConfig } from '../../dist/apps/api/src/config/app-config.js';
import { createApp } from '../../dist/apps/api/src/create-app.js';

const config = loadConfig();
const database = await openDatabase({ databaseUrl: process.env.BENCH_DATABASE_URL, dataDir: 'unused', schema: process.env.BENCH_SCHEMA });
const app = await createApp(config, { database });
await app.listen(0, '127.0.0.1');
process.stdout.write(`listening ${app.getHttpServer().address().port}\n`);
// SIGTERM closes the app (createApp enables Nest's shutdown hooks): projections stop, the pool closes.
