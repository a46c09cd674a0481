import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE } from './tokens.js';
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
      ],
      exports: [Persistence, DataSource, EVENT_STORE],
    };
  }
}
