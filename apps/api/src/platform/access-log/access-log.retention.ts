import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { AccessLogStore } from './access-log.store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Retention of the access log: at start-up the configured retention (ACCESS_LOG_RETENTION_MONTHS, 6–60)
 * is written to the database, which alone decides what may be deleted, and entries older than it are
 * purged; the purge then runs once a day. Setting the retention failing stops the start-up (the log
 * would otherwise be kept under a rule nobody chose); a failed purge is logged and retried next day.
 */
@Injectable()
export class AccessLogRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AccessLogRetention');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(AccessLogStore) private readonly store: AccessLogStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.store.setRetention(this.config.ACCESS_LOG_RETENTION_MONTHS);
    await this.purge();
    this.timer = setInterval(() => void this.purge(), DAY_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Deletes entries older than the retention; returns how many (0 when the purge failed). */
  async purge(): Promise<number> {
    try {
      const removed = await this.store.purge();
      if (removed > 0) this.logger.log(`purged ${removed} access log entries older than ${this.config.ACCESS_LOG_RETENTION_MONTHS} months`);
      return removed;
    } catch (error) {
      this.logger.error(`the access log purge failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }
}
