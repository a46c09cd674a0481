import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** Parse, Bind, Describe, Execute, Close, Flush: an extended-protocol sequence is open until Sync. */
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
const SYNC = 'S'.charCodeAt(0);
const TERMINATE = 'X'.charCodeAt(0);
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);

interface Pending {
  readonly connection: number;
  readonly message: Uint8Array;
  readonly onData: (data: Uint8Array) => void;
  readonly done: (error?: Error) => void;
}

/**
 * Hands the single PGlite backend to one client connection at a time. A connection keeps it while
 * it has a transaction open or an extended-protocol sequence (Parse … Sync) in flight: the unnamed
 * statement and portal belong to the one session, so interleaving two clients' Parse/Bind would run one
 * client's parameters against the other's statement. (pglite-socket 0.2's multiplexer only does
 * the former, and fails with "unnamed prepared statement does not exist" under concurrent pools.)
 */
class BackendScheduler {
  private readonly queue: Pending[] = [];
  private running = false;
  private owner: number | undefined;
  private readonly openSequences = new Set<number>();

  constructor(private readonly db: PGlite) {}

  submit(connection: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ connection, message, onData, done: (error) => (error === undefined ? resolve() : reject(error)) });
      void this.drain();
    });
  }

  /** The client is gone: drop its queued messages and end what it left open. */
  async disconnect(connection: number): Promise<void> {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].connection === connection) this.queue.splice(i, 1)[0].done(new Error('connection closed'));
    }
    if (this.owner === connection) {
      await this.db.runExclusive(async () => {
        if (this.openSequences.has(connection)) await this.db.execProtocolRawStream(SYNC_MESSAGE, { onRawData: () => undefined });
      });
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
      this.owner = undefined;
    }
    this.openSequences.delete(connection);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index = this.owner === undefined ? 0 : this.queue.findIndex((p) => p.connection === this.owner);
        if (index < 0 || this.queue.length === 0) return; // the owner's next message will call drain again
        const [next] = this.queue.splice(index, 1);
        const type = next.message[0];
        if (EXTENDED.has(type)) this.openSequences.add(next.connection);
        if (type === SYNC) this.openSequences.delete(next.connection);
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(next.message, { onRawData: next.onData }));
          next.done();
        } catch (error) {
          next.done(error instanceof Error ? error : new Error(String(error)));
        }
        const keeps = this.db.isInTransaction() || this.openSequences.has(next.connection);
        this.owner = keeps ? next.connection : undefined;
      }
    } finally {
      this.running = false;
    }
  }
}

/** Serves one PGlite to `pg` clients on a loopback port (see BackendScheduler for how they share it). */
export class EmbeddedSocketServer {
  private readonly scheduler: BackendScheduler;
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private nextId = 1;

  constructor(
    db: PGlite,
    private readonly maxConnections: number,
  ) {
    this.scheduler = new BackendScheduler(db);
  }

  async start(): Promise<{ host: string; port: number }> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address !== 'object') throw new Error('The embedded database socket has no address.');
    return { host: '127.0.0.1', port: address.port };
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    if (this.sockets.size >= this.maxConnections) {
      socket.destroy();
      return;
    }
    const id = this.nextId++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let started = false;
    let chain = Promise.resolve();
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.sockets.delete(socket);
      socket.destroy();
      chain = chain.then(() => this.scheduler.disconnect(id)).catch(() => undefined);
    };
    const write = (data: Uint8Array) => {
      if (!socket.destroyed && data.length > 0) socket.write(data);
    };

    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          const message = buffer.subarray(0, length);
          buffer = buffer.subarray(length);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            write(Buffer.from('N'));
          } else if (code === CANCEL_REQUEST) {
            close(); // cancellation is not supported; the client's query runs to its end
            return;
          } else if (code === PROTOCOL_3) {
            started = true;
            const copy = new Uint8Array(message);
            chain = chain.then(() => this.scheduler.submit(id, copy, write)).catch(close);
          } else {
            close();
            return;
          }
          continue;
        }
        if (buffer.length < 5) return;
        const length = 1 + buffer.readInt32BE(1);
        if (buffer.length < length) return;
        const message = new Uint8Array(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        if (message[0] === TERMINATE) {
          close();
          return;
        }
        chain = chain.then(() => this.scheduler.submit(id, message, write)).catch(close);
      }
    });
    socket.on('error', close);
    socket.on('close', close);
  }
}
