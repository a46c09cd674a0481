import pg from 'pg';
import { APPEND_NOTIFY_CHANNEL } from './postgres-event-store.js';

export interface AppendListener {
  close(): Promise<void>;
}

/**
 * LISTENs for the NOTIFY appends send (see the append_to_stream function) and calls `onAppend`
 * (typically a subscription's `poke`). A hint only: subscribers still poll (backing off), so a lost
 * connection delays, never loses. `onError` is told when the connection fails or ends without close().
 * PostgreSQL server only; the embedded mode has no LISTEN (its appends wake subscribers in-process).
 */
export async function listenForAppends(
  connectionString: string,
  onAppend: () => void,
  onError: (error: Error) => void = () => undefined,
): Promise<AppendListener> {
  const client = new pg.Client({ connectionString, application_name: 'append-listener', keepAlive: true });
  let closing = false;
  let failed = false;
  const fail = (error: Error) => {
    if (closing || failed) return;
    failed = true;
    onError(error);
  };
  client.on('notification', (message) => {
    if (message.channel === APPEND_NOTIFY_CHANNEL) onAppend();
  });
  client.on('error', fail);
  client.on('end', () => fail(new Error('the LISTEN connection ended')));
  try {
    await client.connect();
    await client.query(`LISTEN ${APPEND_NOTIFY_CHANNEL}`);
  } catch (error) {
    closing = true;
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    close: async () => {
      closing = true;
      await client.end();
    },
  };
}
