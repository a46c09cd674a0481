import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { AccessLogModule } from './access-log/access-log.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CalendarsModule } from './calendars/calendars.module.js';
import { ClinicResourcesModule } from './clinic-resources/clinic-resources.module.js';
import { CatalogueModule } from './catalogue/catalogue.module.js';
import { CoursesModule } from './courses/courses.module.js';
import { EnrolmentModule } from './enrolment/enrolment.module.js';
import { AppConfig } from './config/app-config.js';
import { HealthController } from './health/health.controller.js';
import { FhirModule } from './fhir/fhir.module.js';
import { IcalModule } from './ical/ical.module.js';
import { OutboxModule } from './outbox/outbox.module.js';
import { MeController } from './me/me.controller.js';
import { PersistenceModule } from './persistence/persistence.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { RosterModule } from './roster/roster.module.js';
import type { Persistence } from './persistence/persistence.js';
import { loggerOptions } from './logging/logger-options.js';
import { ProjectionsModule } from './projections/projections.module.js';
import { TeamBoardModule } from './team-board/team-board.module.js';
import { TeamsModule } from './teams/teams.module.js';
import { WritePathModule } from './write-path/write-path.module.js';
import { PrivacyModule } from './privacy/privacy.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, persistence: Persistence): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerOptions(config)),
        CqrsModule.forRoot(),
        PersistenceModule.forRoot(persistence),
        AuthModule,
        PrivacyModule,
        ClinicResourcesModule, // after AuthModule: its X-On-Behalf-Of guard needs the verified caller
        AccessLogModule, // before ProjectionsModule and WritePathModule: its interceptor must be the outermost
        ProjectionsModule,
        WritePathModule,
        CatalogueModule,
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
