import request from 'supertest';
import { DataSource } from 'typeorm';
import { defaultCatalogue } from '#app/domain';
import type { EventStore } from '#app/event-store';
import { EVENT_STORE } from '../../apps/api/src/platform/persistence/tokens.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as, OTHER_CLINIC } from '../teams/helpers.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

const SOURCE = 'Go-live: team lists 2019–2026 and the HR competence register';
const fsTeam = (clinicianId: string, role: string, from: string, to: string, teamRef: string) => ({
  kind: 'teamService',
  clinicianId,
  programme: 'FORSTAA_SMERTE',
  role,
  from,
  to,
  teamRef,
  sourceDocument: `Holdliste ${teamRef}`,
});
/** four earlier Forstå smerte teams (one as apprentice, three as secondary) and the teaching course */
const history = (clinicianId: string) => [
  fsTeam(clinicianId, 'apprentice', '2021-09-06', '2021-11-22', 'FS-2021-3'),
  fsTeam(clinicianId, 'secondary', '2022-02-07', '2022-04-25', 'FS-2022-1'),
  fsTeam(clinicianId, 'secondary', '2022-09-05', '2022-11-21', 'FS-2022-3'),
  fsTeam(clinicianId, 'secondary', '2023-02-06', '2023-04-24', 'FS-2023-1'),
  {
    kind: 'competence',
    clinicianId,
    competence: 'TEACHING_COURSE',
    grantedAt: '2019-03-01',
    expiresAt: null,
    sourceDocument: 'Kursusbevis undervisningskursus',
  },
];

describeForEachDatabase(targets, 'go-live import of clinician history', (target) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof as>>;
  let secretary: Awaited<ReturnType<typeof as>>;
  let team: string;

  const eventCount = async (): Promise<number> => Number((await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM events'))[0].n);
  const fsPrimary = async (id: string) =>
    (await secretary.get(`/clinicians/${id}`).expect(200)).body.staffRoles.find(
      (r: { programmeCode: string; role: string }) => r.programmeCode === 'FORSTAA_SMERTE' && r.role === 'primary',
    );

  beforeAll(async () => {
    t = await startTestApp(target);
    admin = await as(t, ['admin'], 'ADM-1');
    secretary = await as(t, ['secretary'], 'S1');
    await secretary.post('/clinicians', { clinicianId: 'VET', professions: ['NURSE'], employmentStart: '2019-01-01' }).expect(201);
    await secretary
      .post('/clinicians', { clinicianId: 'VET-2', professions: ['PHYSIOTHERAPIST'], employmentStart: '2018-01-01' })
      .expect(201);
    await (
      await as(t, ['admin'], 'AB', OTHER_CLINIC)
    )
      .put(`/catalogues/${OTHER_CLINIC}`, { ...defaultCatalogue, clinicId: OTHER_CLINIC, version: 1 })
      .expect(200);
    await (
      await as(t, ['secretary'], 'SB', OTHER_CLINIC)
    )
      .post('/clinicians', { clinicianId: 'ELSEWHERE', professions: ['NURSE'], employmentStart: '2010-01-01' })
      .expect(201);
    const roomId = (await secretary.post('/rooms', { name: 'Store mødelokale', seats: 25 }).expect(201)).body.roomId;
    team = (
      await secretary.post('/teams', { programmeCode: 'FORSTAA_SMERTE', roomId, startsOn: '2031-03-03', startTime: '13:00' }).expect(201)
    ).body.teamId;
  });
  afterAll(() => closeIfStarted(t));

  it('before the import nobody qualifies as Forstå smerte primary: the rules ask for four earlier teams and the teaching course', async () => {
    expect(await fsPrimary('VET')).toMatchObject({ qualifiedNow: false });
    const refused = await secretary.post(`/teams/${team}/therapists`, { clinicianId: 'VET', role: 'primary' }).expect(422);
    expect(refused.body.code).toBe('COMPETENCE_MISSING');
    expect(refused.body.details.failures.map((f: { code: string }) => f.code)).toEqual([
      'FS_PRIMARY_4_EARLIER_TEAMS',
      'FS_TEACHING_COURSE',
    ]);
  });

  it('one bad row refuses the whole import (422, every bad row named with all its problems) and nothing is recorded', async () => {
    const before = await eventCount();
    const rows = [
      ...history('VET'),
      fsTeam('VET-2', 'secondary', '2099-01-05', '2099-03-01', 'FUTURE'), // 6: in the future
      { ...fsTeam('VET-2', 'chief', '2022-01-03', '2021-12-01', 'X'), programme: 'FORSTAA_SMERTE' }, // 7: unknown role, dates reversed
      { ...fsTeam('VET-2', 'secondary', '2022-01-03', '2022-03-01', 'Y'), programme: 'FORSTA_SMERTE' }, // 8: unknown programme
      fsTeam('NOBODY', 'secondary', '2022-01-03', '2022-03-01', 'Z'), // 9: no such clinician
      fsTeam('ELSEWHERE', 'secondary', '2022-01-03', '2022-03-01', 'Z'), // 10: another clinic's clinician: the same as none
      { kind: 'competence', clinicianId: 'VET-2', competence: 'JUGGLING', grantedAt: '2020-13-01', sourceDocument: ' ', colour: 'blue' }, // 11
      { kind: 'holiday', clinicianId: 'VET-2', sourceDocument: 'x' }, // 12
      fsTeam('VET-2', 'apprentice', '2021-09-06', '2021-11-22', 'FS-2021-3'), // fine
      fsTeam('VET-2', 'secondary', '2021-09-06', '2021-11-22', 'FS-2021-3'), // 14: the same team again in another role
    ];
    const res = await admin.post('/imports/clinician-history', { source: SOURCE, rows }).expect(422);
    expect(res.body).toMatchObject({
      statusCode: 422,
      code: 'IMPORT_REJECTED',
      message:
        'The import was refused as a whole: 8 of 14 rows have problems (rows 6, 7, 8, 9, 10, 11, 12, 14); nothing was recorded. Correct them and send the whole import again.',
      details: { badRows: 8, totalRows: 14 },
    });
    const byRow = Object.fromEntries(
      res.body.details.rows.map((r: { row: number; problems: Array<{ code: string }> }) => [r.row, r.problems.map((p) => p.code)]),
    );
    expect(byRow).toEqual({
      6: ['DATE_IN_FUTURE'],
      7: ['UNKNOWN_ROLE', 'DATES_REVERSED'],
      8: ['UNKNOWN_PROGRAMME'],
      9: ['UNKNOWN_CLINICIAN'],
      10: ['UNKNOWN_CLINICIAN'],
      11: ['UNKNOWN_FIELD', 'SOURCE_DOCUMENT_REQUIRED', 'UNKNOWN_COMPETENCE', 'INVALID_DATE'],
      12: ['UNKNOWN_KIND'],
      14: ['CONFLICTS_WITH_RECORDED'],
    });
    expect(res.body.details.rows.find((r: { row: number }) => r.row === 10)).toEqual({
      row: 10,
      clinicianId: 'ELSEWHERE',
      problems: [
        {
          code: 'UNKNOWN_CLINICIAN',
          reason: 'No clinician ELSEWHERE is registered in your clinic; register them first (POST /clinicians).',
        },
      ],
    });
    expect(await eventCount()).toBe(before);
    expect(await fsPrimary('VET')).toMatchObject({ qualifiedNow: false });
  });

  it('after the import the competence rules hold from day one; the events say they are imported, from what source, by whom', async () => {
    const res = await admin.post('/imports/clinician-history', { source: SOURCE, rows: history('VET'), reason: 'Go-live' }).expect(201);
    expect(res.body).toMatchObject({
      importId: expect.stringMatching(/^imp-[0-9a-f]{20}$/),
      source: SOURCE,
      rows: 5,
      recorded: 5,
      alreadyPresent: 0,
    });
    expect(res.body.clinicians).toEqual([{ clinicianId: 'VET', teamService: 4, competences: 1, alreadyPresent: 0, revision: 5 }]);
    expect(res.headers['x-event-position']).toMatch(/^\d+-\d+$/);

    expect(await fsPrimary('VET')).toEqual({ programmeCode: 'FORSTAA_SMERTE', role: 'primary', qualifiedNow: true, missing: [] });
    const view = (await secretary.get('/clinicians/VET').expect(200)).body;
    expect(view.derived.earlierTeams).toEqual(
      expect.arrayContaining([
        { programme: 'FORSTAA_SMERTE', role: 'secondary', teams: 3 },
        { programme: 'FORSTAA_SMERTE', role: 'apprentice', teams: 1 },
      ]),
    );
    expect(view.teamService[1]).toEqual({
      teamId: expect.stringMatching(/^imported-/),
      programme: 'FORSTAA_SMERTE',
      role: 'secondary',
      servedAt: '2022-02-07',
      imported: { importId: res.body.importId, source: SOURCE, sourceDocument: 'Holdliste FS-2022-1' },
    });
    expect(view.competences[0]).toMatchObject({
      competence: 'TEACHING_COURSE',
      status: 'valid',
      imported: { importId: res.body.importId, source: SOURCE },
    });
    await secretary.post(`/teams/${team}/therapists`, { clinicianId: 'VET', role: 'primary' }).expect(201);

    const events = await t.app.get<EventStore>(EVENT_STORE).readStream('clinician-VET');
    const imported = events.slice(1);
    expect(imported.map((e) => e.type)).toEqual([
      'TeamServiceRecorded',
      'TeamServiceRecorded',
      'TeamServiceRecorded',
      'TeamServiceRecorded',
      'CompetenceGranted',
    ]);
    for (const e of imported) {
      expect(e.metadata).toMatchObject({
        actor: { staffId: 'ADM-1', roles: ['admin'] },
        reason: 'Go-live',
        import: { importId: res.body.importId, source: SOURCE },
      });
      expect((e.data as { imported: unknown }).imported).toMatchObject({
        importId: res.body.importId,
        source: SOURCE,
        importedBy: 'ADM-1',
        sourceDocument: expect.any(String),
      });
    }
    expect(imported[1].data).toMatchObject({
      role: 'secondary',
      servedAt: '2022-02-07',
      imported: { from: '2022-02-07', to: '2022-04-25', teamRef: 'FS-2022-1', sourceDocument: 'Holdliste FS-2022-1' },
    });
  });

  it('the same import twice changes nothing; an overlapping one records only what is new', async () => {
    const before = await eventCount();
    const again = await admin.post('/imports/clinician-history', { source: SOURCE, rows: history('VET'), reason: 'Go-live' }).expect(200);
    expect(again.body).toMatchObject({
      recorded: 0,
      alreadyPresent: 5,
      clinicians: [{ clinicianId: 'VET', teamService: 0, competences: 0, alreadyPresent: 5, revision: 5 }],
    });
    expect(again.headers['x-event-position']).toBeUndefined();
    expect(await eventCount()).toBe(before);

    const more = [...history('VET'), fsTeam('VET', 'secondary', '2023-09-04', '2023-11-20', 'FS-2023-3'), ...history('VET-2')];
    const res = await admin.post('/imports/clinician-history', { source: 'Second batch', rows: more }).expect(201);
    expect(res.body).toMatchObject({ rows: 11, recorded: 6, alreadyPresent: 5 });
    expect(await eventCount()).toBe(before + 6);
    expect(await fsPrimary('VET-2')).toMatchObject({ qualifiedNow: true });

    const conflict = await admin
      .post('/imports/clinician-history', { source: SOURCE, rows: [fsTeam('VET', 'primary', '2022-02-07', '2022-04-25', 'FS-2022-1')] })
      .expect(422);
    expect(conflict.body.details.rows).toEqual([
      {
        row: 1,
        clinicianId: 'VET',
        problems: [{ code: 'CONFLICTS_WITH_RECORDED', reason: expect.stringContaining('already recorded for VET as secondary') }],
      },
    ]);
  });

  it('only an administrator imports; a malformed request is a 400; another clinic cannot import into this clinic', async () => {
    for (const role of ['secretary', 'clinician', 'auditor', 'integration'] as const) {
      const res = await (await as(t, [role], 'X')).post('/imports/clinician-history', { source: SOURCE, rows: history('VET') }).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    const bad = await admin.post('/imports/clinician-history', { rows: 'all of them', extra: 1 }).expect(400);
    expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['extra', 'rows', 'source']);
    await admin.post('/imports/clinician-history', { source: SOURCE, rows: [] }).expect(400);
    const foreign = await (
      await as(t, ['admin'], 'AB', OTHER_CLINIC)
    )
      .post('/imports/clinician-history', { source: SOURCE, rows: history('VET') })
      .expect(422);
    expect(foreign.body.details.rows.map((r: { problems: Array<{ code: string }> }) => r.problems[0].code)).toEqual(
      Array(5).fill('UNKNOWN_CLINICIAN'),
    );
    await request(t.server)
      .post('/imports/clinician-history')
      .send({ source: SOURCE, rows: history('VET') })
      .expect(401);
  });

  it('is in the OpenAPI document with an example and its statuses', async () => {
    const doc = (await request(t.server).get('/docs-json').expect(200)).body;
    const op = doc.paths['/imports/clinician-history'].post;
    // the route's own statuses; the shared plumbing's (413, 429) are added for every write (http/openapi-answers.ts)
    expect(Object.keys(op.responses).sort()).toEqual(expect.arrayContaining(['200', '201', '400', '401', '403', '404', '422']));
    expect(doc.components.schemas.ImportClinicianHistoryRequest.properties.rows.example).toHaveLength(3);
    expect(doc.paths['/clinicians'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['profession', 'competence', 'active']),
    );
  });
});
