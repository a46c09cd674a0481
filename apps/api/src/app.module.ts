import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { AccessLogModule } from './platform/access-log/access-log.module.js';
import { AuditModule } from './features/audit/index.js';
import { AuthModule } from './platform/auth/auth.module.js';
import { CalendarsModule, IcalModule } from './features/calendars/index.js';
import { ClinicResourcesModule } from './platform/clinic-resources/clinic-resources.module.js';
import { CatalogueModule } from './platform/catalogue/catalogue.module.js';
import { ProgrammesModule } from './features/catalogue/index.js';
import { CoursesModule } from './features/courses/index.js';
import { EnrolmentModule } from './features/enrolment/index.js';
import { AppConfig } from './platform/config/app-config.js';
import { HealthController } from './platform/health/health.controller.js';
import { FhirModule } from './features/fhir/index.js';
import { OutboxModule } from './features/webhooks/index.js';
import { MeController } from './features/me/index.js';
import { PersistenceModule } from './platform/persistence/persistence.module.js';
import { ReportsModule } from './features/reports/index.js';
import { RosterModule } from './features/roster/index.js';
import type { Persistence } from './platform/persistence/persistence.js';
import type { Clock } from './platform/clock/clock.js';
import { ClockModule } from './platform/clock/clock.module.js';
import { loggerOptions } from './platform/logging/logger-options.js';
import { ProjectionsModule } from './platform/projections/projections.module.js';
import { allProjections } from './read-models.js';
import { TeamBoardModule, TeamsModule } from './features/teams/index.js';
import { WritePathModule } from './platform/write-path/write-path.module.js';
import { PrivacyModule } from './platform/privacy/privacy.module.js';

@Module({})
export class AppModule {
  /** `clock`: the time the API reads (the system clock unless a test hands one it moves) */
  static forRoot(config: AppConfig, persistence: Persistence, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerOptions(config)),
        CqrsModule.forRoot(),
        ClockModule.forRoot(clock),
        PersistenceModule.forRoot(persistence),
        AuthModule,
        PrivacyModule,
        ClinicResourcesModule, // after AuthModule: its X-On-Behalf-Of guard needs the verified caller
        AccessLogModule, // before ProjectionsModule and WritePathModule: its interceptor must be the outermost
        ProjectionsModule.forRoot(allProjections),
        WritePathModule,
        CatalogueModule,
        ProgrammesModule,
        CoursesModule,
        TeamsModule,
        EnrolmentModule,
        RosterModule,
        IcalModule, // before CalendarsModule: its /calendars/…/:id.ics routes must match before /calendars/…/:id
        CalendarsModule,
        TeamBoardModule,
        ReportsModule,
        AuditModule,
        FhirModule,
        OutboxModule,
      ],
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
      controllers: [HealthController, MeController],
    };
  }
}
