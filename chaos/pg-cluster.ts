import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster of our own (Debian's binaries, a temp folder, a free loopback port), which
 * the fault tests may stop with `pg_ctl stop -m immediate` (a crash: no checkpoint, WAL replay on start)
 * and start again. It never touches any other cluster: every command names our own data folder.
 * PostgreSQL refuses to run as root, so as root the commands run as the `postgres` user (runuser).
 */
export class ThrowawayPostgres {
  private running = false;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly asUser: string | undefined,
  ) {}

  /** why it cannot run here (no binaries, no postgres user as root), or undefined */
  static unavailable(): string | undefined {
    if (!binDir()) return 'no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)';
    if (process.getuid?.() === 0 && uidOf('postgres') === undefined)
      return 'running as root and there is no postgres user to run the server as';
    return undefined;
  }

  static async create(): Promise<ThrowawayPostgres> {
    const reason = ThrowawayPostgres.unavailable();
    if (reason) throw new Error(`Cannot start a throwaway PostgreSQL: ${reason}.`);
    const dir = mkdtempSync(join(tmpdir(), 'chaos-pg-'));
    const asUser = process.getuid?.() === 0 ? 'postgres' : undefined;
    if (asUser) {
      const uid = uidOf(asUser);
      if (uid === undefined) throw new Error(`Cannot start a throwaway PostgreSQL: there is no user ${asUser}.`);
      chownSync(dir, uid, gidOf(asUser) ?? uid);
    }
    const bin = binDir();
    if (!bin) throw new Error('Cannot start a throwaway PostgreSQL: no PostgreSQL binaries found.');
    const pgsql = new ThrowawayPostgres(dir, await freePort(), bin, asUser);
    pgsql.run('initdb', ['-D', pgsql.dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    pgsql.start();
    return pgsql;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get logFile(): string {
    return join(this.dir, 'postgres.log');
  }

  /**
   * Starts (or restarts after a crash: WAL replay) and waits until it accepts connections. fsync is off: the
   * tests crash processes, not the machine, so what PostgreSQL wrote is in the OS page cache either way.
   */
  start(): void {
    const options = [`-p ${this.port}`, `-k ${this.dir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c max_connections=60'].join(
      ' ',
    );
    this.run('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', this.logFile, '-w', '-t', '60', 'start']);
    this.running = true;
  }

  /** a crash of the database server: every backend is killed at once, nothing is flushed or checkpointed */
  stopImmediate(): void {
    this.run('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
    this.running = false;
  }

  /** stops (if running) and removes the folder */
  destroy(): void {
    try {
      if (this.running || existsSync(join(this.dataDir, 'postmaster.pid')))
        this.run('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    this.running = false;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(tool: string, args: string[]): void {
    const command = join(this.bin, tool);
    const [file, argv] = this.asUser ? ['runuser', ['-u', this.asUser, '--', command, ...args]] : [command, args];
    try {
      execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
    } catch (error) {
      const e = error as { stderr?: Buffer; stdout?: Buffer; message: string };
      throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr?.toString() || e.stdout?.toString() || e.message}`, { cause: error });
    }
  }
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : undefined;
}

function uidOf(user: string): number | undefined {
  try {
    return Number(
      execFileSync('id', ['-u', user], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    );
  } catch {
    return undefined;
  }
}

function gidOf(user: string): number | undefined {
  try {
    return Number(
      execFileSync('id', ['-g', user], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    );
  } catch {
    return undefined;
  }
}

/** a loopback port nobody listens on right now */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
