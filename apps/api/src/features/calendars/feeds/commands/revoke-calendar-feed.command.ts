import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../../../platform/auth/actor.js';

/** Revoke a calendar feed: its link stops working at once (revoking a revoked one changes nothing). */
export class RevokeCalendarFeed extends Command<void> {
  constructor(
    readonly feedId: string,
    readonly reason: string | undefined,
    readonly actor: Actor,
  ) {
    super();
  }
}
