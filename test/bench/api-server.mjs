// The API for `npm run bench`, as production runs it (compiled by `npm run build`, dist/), on a schema of its own.
// Env: BENCH_DATABASE_URL (unset: embedded, in BENCH_DATA_DIR), BENCH_SCHEMA, and the API's own settings. Prints "listening <port>" when ready.
import 'reflect-metadata';
import { openDatabase } from '#app/database';
import { migrations } from '../../dist/migrations/index.js';
import { loadConfig } from '../../dist/apps/api/src/platform/config/app-config.js';
import { createApp } from '../../dist/apps/api/src/create-app.js';

const config = loadConfig();
const database = await openDatabase({
  migrations,
  databaseUrl: process.env.BENCH_DATABASE_URL,
  dataDir: process.env.BENCH_DATA_DIR ?? 'unused',
  schema: process.env.BENCH_SCHEMA,
  poolSize: config.DATABASE_POOL_SIZE,
});
const app = await createApp(config, { database });
await app.listen(0, '127.0.0.1');
process.stdout.write(`listening ${app.getHttpServer().address().port}\n`);
// SIGTERM closes the app (createApp enables Nest's shutdown hooks): projections stop, the pool closes.

// Profiling (npm run bench -- --profile DIR): SIGWINCH starts the CPU profiler and counts the SQL statements sent;
// the next SIGWINCH writes DIR/enrolment.cpuprofile (open it in Chrome DevTools or speedscope) and DIR/enrolment-sql.json;
// a second pair of signals (around the history catch-up) writes DIR/catch-up.cpuprofile and DIR/catch-up-sql.json.
if (process.env.BENCH_PROFILE_DIR) {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync, mkdirSync } = await import('node:fs');
  const pg = (await import('pg')).default;
  const dir = process.env.BENCH_PROFILE_DIR;
  const session = new Session();
  session.connect();
  let on = false;
  const names = ['enrolment', 'catch-up'];
  let profiles = 0;
  let statements = new Map();
  const query = pg.Client.prototype.query;
  // per statement text: how often it was sent and the milliseconds from sending it to its answer (the server's
  // work and the wait for a core on a busy machine; not the wait for a pool connection, which comes before)
  pg.Client.prototype.query = function (config, ...rest) {
    if (!on) return query.call(this, config, ...rest);
    const text = (typeof config === 'string' ? config : (config?.text ?? '')).replace(/\s+/g, ' ').trim().slice(0, 90);
    const seen = statements.get(text) ?? { n: 0, ms: 0 };
    statements.set(text, seen);
    seen.n++;
    const t0 = performance.now();
    const stop = () => (seen.ms += performance.now() - t0);
    const callback = typeof rest[rest.length - 1] === 'function' ? rest.length - 1 : -1;
    if (callback >= 0) {
      const cb = rest[callback];
      rest[callback] = (...a) => (stop(), cb(...a));
      return query.call(this, config, ...rest);
    }
    const result = query.call(this, config, ...rest);
    if (result && typeof result.then === 'function') result.then(stop, stop);
    return result;
  };
  process.on('SIGWINCH', () => {
    void (async () => {
      if (!on) {
        statements = new Map();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 200 });
        await session.post('Profiler.start');
        on = true;
        process.stdout.write('profiling\n');
      } else {
        on = false;
        const { profile } = await session.post('Profiler.stop');
        mkdirSync(dir, { recursive: true });
        const name = names[profiles++] ?? `profile-${profiles}`;
        writeFileSync(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
        writeFileSync(
          `${dir}/${name}-sql.json`,
          JSON.stringify(
            [...statements].map(([t, s]) => [t, s.n, Math.round(s.ms)]).sort((a, b) => b[1] - a[1]),
            null,
            1,
          ),
        );
        process.stdout.write('profile written\n');
      }
    })();
  });
}
// Memory (BENCH_HEAP_LOG=FILE, with NODE_OPTIONS=--expose-gc): every 2 s a full GC, then RSS, the live heap and the
// heap V8 holds go to FILE, to tell retained objects from memory the process keeps reserved.
if (process.env.BENCH_HEAP_LOG) {
  const { appendFileSync } = await import('node:fs');
  setInterval(() => {
    globalThis.gc?.();
    const m = process.memoryUsage();
    appendFileSync(
      process.env.BENCH_HEAP_LOG,
      `${new Date().toISOString()} rss ${(m.rss / 2 ** 20).toFixed(0)} heapUsed ${(m.heapUsed / 2 ** 20).toFixed(0)} heapTotal ${(m.heapTotal / 2 ** 20).toFixed(0)} external ${(m.external / 2 ** 20).toFixed(0)} arrayBuffers ${(m.arrayBuffers / 2 ** 20).toFixed(0)}\n`,
    );
  }, 2000).unref();
}
