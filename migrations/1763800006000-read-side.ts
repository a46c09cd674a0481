import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models of the read side (apps/api/src/roster, calendars, team-board, reports). Every projection owns
 * its tables alone, including a `<name>_sources` table (last revision applied per stream: apply is
 * idempotent), so each can be rebuilt into a shadow copy and swapped in (libs/projections rebuild.ts).
 * Hence no sequences and no foreign keys here. Times are instants (timestamptz).
 */
export class ReadSide1763800006000 implements MigrationInterface {
  name = 'ReadSide1763800006000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    const sources = (table: string) => q(`CREATE TABLE ${table} (stream_id text PRIMARY KEY, revision bigint NOT NULL)`);

    // roster.v1: one row per course (its replayed state) and one per microteam member
    await q(`
      CREATE TABLE roster_courses (
        course_id text PRIMARY KEY,
        clinic_id text NOT NULL,
        patient_id text NOT NULL,
        pathway_code text NOT NULL,
        pathway_version int NOT NULL,
        status text NOT NULL,
        referral_received_at timestamptz NOT NULL,
        visitation_due_by timestamptz NOT NULL,
        visitation_decided_at timestamptz,
        ended_at timestamptz,
        state jsonb NOT NULL,
        stream_revision bigint NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q(`CREATE INDEX roster_courses_clinic_status_idx ON roster_courses (clinic_id, status)`);
    await q(`
      CREATE TABLE roster_members (
        course_id text NOT NULL,
        clinician_id text NOT NULL,
        role text NOT NULL,
        since timestamptz NOT NULL,
        PRIMARY KEY (course_id, clinician_id, role)
      )`);
    await q(`CREATE INDEX roster_members_clinician_idx ON roster_members (clinician_id)`);
    await sources('roster_sources');

    // calendars.v1: one row per session, appointment or individually booked step (stable uid + sequence)
    await q(`
      CREATE TABLE calendar_entries (
        uid text PRIMARY KEY,
        clinic_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('team-session', 'appointment', 'course-step')),
        status text NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
        sequence int NOT NULL,
        title text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz,
        time_zone text,
        room_id text,
        team_id text,
        session_key text,
        session_number int,
        programme_code text,
        course_id text,
        appointment_id text,
        intervention text,
        step_code text,
        cancel_reason text,
        cancelled_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q(`CREATE INDEX calendar_entries_clinic_start_idx ON calendar_entries (clinic_id, starts_at)`);
    await q(`CREATE INDEX calendar_entries_room_start_idx ON calendar_entries (room_id, starts_at)`);
    await q(`CREATE INDEX calendar_entries_team_idx ON calendar_entries (team_id)`);
    await q(`CREATE INDEX calendar_entries_course_idx ON calendar_entries (course_id)`);
    await q(`
      CREATE TABLE calendar_attendees (
        uid text NOT NULL,
        attendee_kind text NOT NULL CHECK (attendee_kind IN ('clinician', 'course')),
        attendee_id text NOT NULL,
        role text,
        PRIMARY KEY (uid, attendee_kind, attendee_id)
      )`);
    await q(`CREATE INDEX calendar_attendees_attendee_idx ON calendar_attendees (attendee_kind, attendee_id)`);
    await sources('calendar_sources');

    // team-board.v1: one row per team with its replayed state (waitlist order, offers, staff, sessions)
    await q(`
      CREATE TABLE team_boards (
        team_id text PRIMARY KEY,
        clinic_id text NOT NULL,
        programme_code text NOT NULL,
        status text NOT NULL,
        capacity int NOT NULL,
        seats_taken int NOT NULL,
        seats_free int NOT NULL,
        waitlist_count int NOT NULL,
        offers_outstanding int NOT NULL,
        first_session_at timestamptz NOT NULL,
        last_session_at timestamptz NOT NULL,
        time_zone text NOT NULL,
        state jsonb NOT NULL,
        stream_revision bigint NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q(`CREATE INDEX team_boards_clinic_programme_first_idx ON team_boards (clinic_id, programme_code, first_session_at)`);
    await sources('team_board_sources');

    // capacity-outlook.v1: the next group step each active course will need, from where its pathway stands
    await q(`
      CREATE TABLE capacity_courses (
        course_id text PRIMARY KEY,
        clinic_id text NOT NULL,
        state jsonb NOT NULL
      )`);
    await q(`
      CREATE TABLE capacity_demand (
        course_id text NOT NULL,
        programme_code text NOT NULL,
        clinic_id text NOT NULL,
        step_code text NOT NULL,
        need_from date NOT NULL,
        undecided boolean NOT NULL,
        waitlisted boolean NOT NULL,
        PRIMARY KEY (course_id, programme_code)
      )`);
    await q(`CREATE INDEX capacity_demand_clinic_programme_idx ON capacity_demand (clinic_id, programme_code, need_from)`);
    await q(`
      CREATE TABLE capacity_pathways (
        clinic_id text NOT NULL,
        code text NOT NULL,
        version int NOT NULL,
        definition jsonb NOT NULL,
        PRIMARY KEY (clinic_id, code, version)
      )`);
    await sources('capacity_sources');

    // waiting-times.v1: referral, visitation and every booked or held step, per course
    await q(`
      CREATE TABLE waiting_time_courses (
        course_id text PRIMARY KEY,
        clinic_id text NOT NULL,
        received_at timestamptz NOT NULL,
        visitation_decided_at timestamptz,
        visitation_decision text,
        visitation_within_deadline boolean,
        ended_at timestamptz,
        end_reason text
      )`);
    await q(`CREATE INDEX waiting_time_courses_clinic_received_idx ON waiting_time_courses (clinic_id, received_at)`);
    await q(`
      CREATE TABLE waiting_time_steps (
        course_id text NOT NULL,
        step_code text NOT NULL,
        booked_at timestamptz,
        at timestamptz,
        completed_at timestamptz,
        PRIMARY KEY (course_id, step_code)
      )`);
    await sources('waiting_time_sources');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'waiting_time_sources',
      'waiting_time_steps',
      'waiting_time_courses',
      'capacity_sources',
      'capacity_pathways',
      'capacity_demand',
      'capacity_courses',
      'team_board_sources',
      'team_boards',
      'calendar_sources',
      'calendar_attendees',
      'calendar_entries',
      'roster_sources',
      'roster_members',
      'roster_courses',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
