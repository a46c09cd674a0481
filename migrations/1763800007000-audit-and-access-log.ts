import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit (apps/api/src/audit) and the access log (apps/api/src/access-log).
 *
 * 1. Read model `audit-index.v1` (rebuildable: no sequences, no foreign keys):
 *    - audit_course_team_events: team-stream events that name a course, so a course's history reads
 *      exactly those events;
 *    - audit_course_index: course → pseudonymous patient (from ReferralReceived).
 *
 * 2. access_log: one row per look-up or change of patient data (Danish health law: who, when, what
 *    for, which patient). Append-only, enforced by the database itself so it holds for every client,
 *    superusers included, on PostgreSQL 15 and PGlite alike:
 *    - BEFORE UPDATE: always refused;
 *    - BEFORE DELETE: refused for a row logged less than the retention ago (access_log_retention, which
 *      a CHECK keeps between 6 and 60 months), so a purge can only ever remove what the law lets go;
 *    - BEFORE TRUNCATE: refused (TRUNCATE fires no row triggers);
 *    - BEFORE INSERT: `logged_at` is the database's clock, whatever the client sent, so a row cannot be
 *      back-dated into the purgeable range.
 *    access_log_purge() and access_log_set_retention() are SECURITY DEFINER: in production the API can run
 *    as a role with only INSERT and SELECT on access_log (REVOKE UPDATE, DELETE, TRUNCATE) and EXECUTE on
 *    these two; the triggers hold even for the owner.
 */
export class AuditAndAccessLog1763800007000 implements MigrationInterface {
  name = 'AuditAndAccessLog1763800007000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    const [{ schema }] = (await queryRunner.query(`SELECT current_schema() AS schema`)) as Array<{ schema: string }>;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`unexpected schema name ${schema}`);

    await q(`
      CREATE TABLE audit_course_team_events (
        course_id text NOT NULL,
        stream_id text NOT NULL,
        revision bigint NOT NULL,
        commit_position numeric NOT NULL,
        prepare_position bigint NOT NULL,
        event_type text NOT NULL,
        PRIMARY KEY (course_id, stream_id, revision)
      )`);
    await q(`
      CREATE TABLE audit_course_index (
        course_id text PRIMARY KEY,
        patient_id text NOT NULL,
        clinic_id text NOT NULL
      )`);
    await q(`CREATE INDEX audit_course_index_patient_idx ON audit_course_index (patient_id)`);

    await q(`
      CREATE TABLE access_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        logged_at timestamptz NOT NULL DEFAULT now(),
        clinic_id text NOT NULL,
        staff_id text NOT NULL,
        roles text[] NOT NULL,
        use text NOT NULL CHECK (use IN ('read', 'write', 'export', 'search')),
        method text NOT NULL,
        route text NOT NULL,
        path text NOT NULL,
        query jsonb,
        course_ids text[] NOT NULL DEFAULT '{}',
        patient_ids text[] NOT NULL DEFAULT '{}',
        status int NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('ok', 'refused', 'denied', 'failed')),
        correlation_id text
      )`);
    await q(`CREATE INDEX access_log_course_ids_idx ON access_log USING gin (course_ids)`);
    await q(`CREATE INDEX access_log_patient_ids_idx ON access_log USING gin (patient_ids)`);
    await q(`CREATE INDEX access_log_logged_at_idx ON access_log (logged_at)`);
    await q(`CREATE INDEX access_log_staff_idx ON access_log (clinic_id, staff_id, at)`);

    await q(`
      CREATE TABLE access_log_retention (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        months int NOT NULL CHECK (months BETWEEN 6 AND 60)
      )`);
    await q(`INSERT INTO access_log_retention (months) VALUES (6)`);

    await q(`
      CREATE FUNCTION access_log_retention_months() RETURNS int
      LANGUAGE sql STABLE SET search_path = ${schema}, pg_temp
      AS $$ SELECT COALESCE((SELECT months FROM access_log_retention), 60) $$`);
    await q(`
      CREATE FUNCTION access_log_guard() RETURNS trigger
      LANGUAGE plpgsql SET search_path = ${schema}, pg_temp
      AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          NEW.logged_at := now();
          RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' THEN
          RAISE EXCEPTION 'access_log is append-only: entries cannot be changed' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.logged_at >= now() - make_interval(months => access_log_retention_months()) THEN
          RAISE EXCEPTION 'access_log is append-only: entry % is younger than the retention of % months', OLD.id, access_log_retention_months()
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
      END $$`);
    await q(`CREATE TRIGGER access_log_stamp BEFORE INSERT ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_guard()`);
    await q(`CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_guard()`);
    await q(`
      CREATE FUNCTION access_log_refuse_truncate() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'access_log is append-only: it cannot be truncated' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q(
      `CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION access_log_refuse_truncate()`,
    );
    await q(`
      CREATE FUNCTION access_log_purge() RETURNS bigint
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${schema}, pg_temp
      AS $$
      DECLARE removed bigint;
      BEGIN
        DELETE FROM access_log WHERE logged_at < now() - make_interval(months => access_log_retention_months());
        GET DIAGNOSTICS removed = ROW_COUNT;
        RETURN removed;
      END $$`);
    await q(`
      CREATE FUNCTION access_log_set_retention(wanted int) RETURNS int
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${schema}, pg_temp
      AS $$
      BEGIN
        IF wanted IS NULL OR wanted < 6 OR wanted > 60 THEN
          RAISE EXCEPTION 'the access log retention must be between 6 and 60 months (got %)', wanted USING ERRCODE = 'check_violation';
        END IF;
        UPDATE access_log_retention SET months = wanted;
        RETURN wanted;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP FUNCTION access_log_set_retention(int)`);
    await q(`DROP FUNCTION access_log_purge()`);
    await q(`DROP TABLE access_log`);
    await q(`DROP FUNCTION access_log_refuse_truncate()`);
    await q(`DROP FUNCTION access_log_guard()`);
    await q(`DROP FUNCTION access_log_retention_months()`);
    await q(`DROP TABLE access_log_retention`);
    await q(`DROP TABLE audit_course_index`);
    await q(`DROP TABLE audit_course_team_events`);
  }
}
