import { Logger } from '@nestjs/common';
import type { OpenDatabase } from '#app/database';
import { listenForAppends, type AppendListener, type EventStore } from '#app/event-store';

/**
 * Wakes this process's subscribers when events were appended, so that they never need to poll at a
 * short interval (they back off to seconds while idle):
 *  - appends made by this process: the store's in-process hook (the only source in embedded mode,
 *    where LISTEN does not exist and no other process can write);
 *  - appends of other processes on a PostgreSQL server: LISTEN on the append function's NOTIFY, on a
 *    connection of its own, re-established with back-off when lost (and everyone is woken then, since
 *    notifications may have been missed meanwhile).
 * A wake-up is a hint: a missed one only delays a subscriber until its next (backed-off) look.
 */
export class AppendWakeups {
  private readonly logger = new Logger('AppendWakeups');
  private readonly listeners = new Set<() => void>();
  private unhook: (() => void) | undefined;
  private listener: AppendListener | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private retryMs = 100;

  constructor(
    private readonly store: EventStore,
    private readonly database: OpenDatabase,
  ) {}

  /** whether other processes' appends reach us (LISTEN is up) */
  get listening(): boolean {
    return this.listener !== undefined;
  }

  async start(): Promise<void> {
    this.unhook = this.store.onAppended?.(() => this.fire());
    if (this.database.kind === 'postgres' && this.store.kind === 'postgres') await this.listen();
  }

  /** `listener` is called (synchronously, cheaply: typically a poke) on every wake-up */
  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.unhook?.();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close().catch(() => undefined);
  }

  private fire(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // a wake-up must never fail the append that caused it
      }
    }
  }

  private async listen(): Promise<void> {
    try {
      // a `let` read by the error callback: the connection may fail while it is still being opened (undefined then)
      let listener: AppendListener | undefined = undefined;
      listener = await listenForAppends(
        this.database.connectionString,
        () => this.fire(),
        (error) => this.lost(listener, error),
      );
      if (this.closed) {
        await listener.close().catch(() => undefined);
        return;
      }
      this.listener = listener;
      this.retryMs = 100;
      this.fire(); // anything appended while we were not listening
    } catch (error) {
      this.lost(undefined, error instanceof Error ? error : new Error(String(error)));
    }
  }

  private lost(listener: AppendListener | undefined, error: Error): void {
    if (this.closed || (listener !== undefined && this.listener !== listener)) return;
    this.listener = undefined;
    void listener?.close().catch(() => undefined);
    this.logger.warn(
      `Listening for appends of other processes failed (${error.message}); retrying in ${this.retryMs} ms. Subscribers poll meanwhile.`,
    );
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.listen(), this.retryMs);
    this.reconnectTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
  }
}
