/** Anything a suite starts in `beforeAll` and stops in `afterAll`. */
export type Closable = { close(): unknown } | { stop(): unknown };

/**
 * Closes what a `beforeAll` started. When the start fails, the suite's `let app: TestApp` is still unassigned
 * although its type says otherwise, so `afterAll` takes it as possibly undefined: the failure is reported once,
 * as the start's own error, not again as a TypeError from the teardown.
 */
export async function closeIfStarted(...started: (Closable | undefined)[]): Promise<void> {
  for (const thing of started) {
    if (thing) await ('close' in thing ? thing.close() : thing.stop());
  }
}
