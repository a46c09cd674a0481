import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#app/event-store';

/**
 * A read model kept by a durable subscription. `apply` runs inside the transaction that also moves
 * the projection's checkpoint, so it must write only through `manager`, and must tolerate seeing an
 * event again only in the sense that it never will: effects and checkpoint commit together.
 */
export interface Projection {
  /** checkpoint name; bump the suffix (`team-board.v2`) to rebuild from zero after a change */
  readonly name: string;
  /**
   * The read-model tables this projection alone writes (created by a migration). Declaring them makes
   * the projection rebuildable without downtime (rebuild.ts: a shadow copy is built, then swapped in).
   * They must not use sequences or foreign keys, and `apply` must name them unqualified.
   */
  readonly tables?: readonly string[];
  /**
   * The stream categories (`team`, `course`, …; see streamCategory) whose events `apply` reads the payload of.
   * Events of other categories still come, in order, but may have `data` null and empty `metadata`
   * (ReadAllOptions.payloadCategories): a catch-up over an import of other streams sends and parses none of
   * theirs. Unset: every event in full.
   */
  readonly categories?: readonly string[];
  apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void>;
}

/** `team-3f2…` → `team`: the stream category routes an event to its projection logic. */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}

/** `team-3f2…` → `3f2…` */
export function streamEntityId(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(dash + 1);
}
