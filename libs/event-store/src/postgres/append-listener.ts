import pg from 'pg';
import { APPEND_NOTIFY_CHANNEL } from './postgres-event-store.js';

export interface AppendListener {
  close(): Promise<void>;
}

/**
 * LISTENs for the NOTIFY every PostgreSQL append sends and calls `onAppend` (typically a
 * subscription's `poke`). A hint only: subscribers still poll, so a lost connection delays, never loses.
 * PostgreSQL server only; the embedded mode shares one session between all connections.
 */
export async function listenForAppends(connectionString: string, onAppend: () => void, onError: (error: Error) => void = () => undefined): Promise<AppendListener> {
  const client = new pg.Client({ connectionString });
  client.on('notification', (message) => {
    if (message.channel === APPEND_NOTIFY_CHANNEL) onAppend();
  });
  client.on('error', onError);
  await client.connect();
  await client.query(`LISTEN ${APPEND_NOTIFY_CHANNEL}`);
  return { close: () => client.end() };
}
