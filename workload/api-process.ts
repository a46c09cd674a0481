import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, statSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = join(REPO_ROOT, 'workload', 'api-server.mjs');

export interface ApiProcessOptions {
  /** the API's environment on top of NODE_ENV=test, LOG_LEVEL=warn, RATE_LIMIT_MAX=0 */
  readonly env: Record<string, string>;
  /** fixed port (to restart on the same address); 0 = any free one */
  readonly port?: number;
  /** the API's stdout and stderr are appended here */
  readonly logFile?: string;
}

/**
 * The compiled API (dist/) as a child process on loopback, which a fault test may SIGKILL and start again
 * on the same port. The TypeScript sources are not run directly: tsx/esbuild emit no decorator metadata.
 */
export class ApiProcess {
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  port: number;
  starts = 0;

  constructor(private readonly options: ApiProcessOptions) {
    this.port = options.port ?? 0;
    if (options.logFile) this.log = createWriteStream(options.logFile, { flags: 'a' });
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** starts the API and resolves with its port once it listens; rejects if it exits first or takes over `timeoutMs` */
  start(timeoutMs = 60_000): Promise<number> {
    if (this.running) throw new Error('The API is already running.');
    ensureBuilt();
    this.starts++;
    const child = spawn(process.execPath, [SERVER], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_MAX: '0',
        OFFER_SWEEP_INTERVAL_MS: '0',
        ...this.options.env,
        PORT: String(this.port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.log?.write(`--- start ${this.starts} pid ${String(child.pid)} at ${new Date().toISOString()}\n`);
    child.stderr.on('data', (chunk: Buffer) => this.log?.write(chunk));
    let tail = '';
    child.stderr.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-2000)));
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`The API did not start within ${timeoutMs} ms. ${tail}`));
      }, timeoutMs);
      createInterface({ input: child.stdout }).on('line', (line) => {
        this.log?.write(`${line}\n`);
        const m = /^listening (\d+)$/.exec(line);
        if (m) {
          clearTimeout(timer);
          this.port = Number(m[1]);
          resolve(this.port);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        this.log?.write(`--- exit ${String(code ?? signal)} at ${new Date().toISOString()}\n`);
        reject(new Error(`The API exited (${String(code ?? signal)}) before it listened. ${tail}`));
      });
    });
  }

  /** SIGKILL (a crash) or SIGTERM (a clean stop); resolves when the process is gone */
  async stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGTERM', timeoutMs = 20_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** resolves when the current process exits (for a supervisor) */
  exited(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => child.once('exit', () => resolve()));
  }

  close(): void {
    this.log?.end();
  }
}

/**
 * Builds dist/ (`npm run build`) unless it is newer than every source file of apps/, libs/ and migrations/.
 * CI starts from a clean clone, so there the first call builds (~20–40 s on 2 cores).
 */
let builtOnce = false;

export function ensureBuilt(): void {
  if (builtOnce) return;
  builtOnce = true;
  const built = join(REPO_ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
  if (existsSync(built)) {
    const builtAt = statSync(built).mtimeMs;
    if (!['apps', 'libs', 'migrations'].some((dir) => newerThan(join(REPO_ROOT, dir), builtAt))) return;
  }
  execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

function newerThan(dir: string, ms: number): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (newerThan(path, ms)) return true;
    } else if (entry.name.endsWith('.ts') && statSync(path).mtimeMs > ms) return true;
  }
  return false;
}
