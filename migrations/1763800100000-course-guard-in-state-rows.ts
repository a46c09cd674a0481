import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The roster and the capacity outlook guard against re-applied course events with the revision kept beside each
 * course's state (`roster_courses.stream_revision`, now also `capacity_courses.stream_revision`), read by the same
 * statement that loads the states, instead of a `*_sources` row per course stream read and rewritten by every batch
 * (two statements and a table written per batch). `roster_sources` goes; `capacity_sources` keeps only the
 * catalogue streams (their `CataloguePublished` events are still guarded by it).
 */
export class CourseGuardInStateRows1763800100000 implements MigrationInterface {
  name = 'CourseGuardInStateRows1763800100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE roster_sources`);
    await queryRunner.query(`ALTER TABLE capacity_courses ADD COLUMN stream_revision bigint`);
    await queryRunner.query(
      `UPDATE capacity_courses c SET stream_revision = s.revision FROM capacity_sources s WHERE s.stream_id = 'course-' || c.course_id`,
    );
    await queryRunner.query(`DELETE FROM capacity_sources WHERE stream_id LIKE 'course-%'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE roster_sources (stream_id text PRIMARY KEY, revision bigint NOT NULL)`);
    await queryRunner.query(`INSERT INTO roster_sources SELECT 'course-' || course_id, stream_revision FROM roster_courses`);
    await queryRunner.query(
      `INSERT INTO capacity_sources SELECT 'course-' || course_id, stream_revision FROM capacity_courses WHERE stream_revision IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE capacity_courses DROP COLUMN stream_revision`);
  }
}
