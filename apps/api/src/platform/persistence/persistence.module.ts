import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, LEADERSHIP } from './tokens.js';
import { AppendWakeups } from './append-wakeups.js';
import { Persistence } from './persistence.js';

@Global()
@Module({})
export class PersistenceModule {
  static forRoot(persistence: Persistence): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: Persistence, useValue: persistence },
        { provide: DataSource, useValue: persistence.database.dataSource },
        { provide: EVENT_STORE, useValue: persistence.eventStore },
        { provide: LEADERSHIP, useValue: persistence.leadership },
        { provide: AppendWakeups, useValue: persistence.wakeups },
      ],
      exports: [Persistence, DataSource, EVENT_STORE, LEADERSHIP, AppendWakeups],
    };
  }
}
