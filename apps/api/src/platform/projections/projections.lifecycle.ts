import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ProjectionRunner } from '#app/projections';
import { AppendWakeups } from '../persistence/append-wakeups.js';

/** Starts the projections with the app, wakes them on appends (ours and, on PostgreSQL, other processes'), and stops them before the database closes. */
@Injectable()
export class ProjectionsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(AppendWakeups) private readonly wakeups: AppendWakeups,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
    this.unsubscribe = this.wakeups.on(() => this.runner.poke());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.runner.stop();
  }
}
