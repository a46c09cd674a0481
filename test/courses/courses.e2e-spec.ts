import request from 'supertest';
import { DataSource } from 'typeorm';
import { PatientIdentityService } from '../../apps/api/src/features/patients/patient-identity.service.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { ALL_CRITERIA_MET, anHourAgo, courseApi, cprFor, FULL_CONTENT, type Api } from './course-api.js';
import { registerStaff } from '../support/clinic-staff.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

/** the number used for the identity test, in both spellings, and its digits split as a leak would show them */
const CPR = '070761-4285';
const CPR_FORMS = ['070761-4285', '0707614285', '070761'];

const inDays = (days: number, hour = 10): string => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour - 1, 0, 0, 0); // 10:00 Copenhagen (winter time) or 11:00 (summer): any time will do
  return d.toISOString();
};

describeForEachDatabase(targets, 'courses: referral, visitation, facts, microteam, steps', (target) => {
  let t: TestApp;
  let api: Api;
  beforeAll(async () => {
    t = await startTestApp(target);
    api = courseApi(t);
    await registerStaff(t, { clinicians: ['doc-1', 'doc-7', 'nurse-1', 'nurse-4'] }); // microteam members must be the clinic's own
  });
  afterAll(() => closeIfStarted(t));

  it('a referral missing content starts on hold listing what is missing; visitation must wait; supplementing it → awaiting visitation', async () => {
    const { PREVIOUS_MEDICATION: _p, PENDING_COMPENSATION_CASES: _c, ...partial } = FULL_CONTENT;
    const created = await api.referral(cprFor(1), { ...partial, INCOME_SETTLED: '  ' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/courses/${created.body.courseId}`);
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers['x-event-position']).toMatch(/^\d+-\d+$/);
    expect(created.body).toMatchObject({ status: 'on_hold', patientId: expect.any(String), visitationDueBy: expect.any(String) });
    expect(created.body.missing.map((m: { code: string }) => m.code)).toEqual([
      'PREVIOUS_MEDICATION',
      'INCOME_SETTLED',
      'PENDING_COMPENSATION_CASES',
    ]);
    const id = created.body.courseId;

    const early = await api.call('post', `/courses/${id}/visitation`, ['clinician'], { decision: 'accept', assessment: ALL_CRITERIA_MET });
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ code: 'REFERRAL_ON_HOLD', message: expect.stringMatching(/on hold/) });

    const partly = await api.call('post', `/courses/${id}/referral`, ['secretary'], {
      content: { INCOME_SETTLED: 'flex job' },
      reason: 'GP phoned',
    });
    expect(partly.status).toBe(200);
    expect(partly.body.status).toBe('on_hold');
    expect(partly.body.referral.missing.map((m: { code: string }) => m.code)).toEqual([
      'PREVIOUS_MEDICATION',
      'PENDING_COMPENSATION_CASES',
    ]);
    expect(partly.body.openItems.map((i: { code: string }) => i.code)).toEqual(['REFERRAL_ON_HOLD', 'VISITATION_DUE']);

    const done = await api.call('post', `/courses/${id}/referral`, ['secretary'], {
      content: { PREVIOUS_MEDICATION: 'none', PENDING_COMPENSATION_CASES: 'none' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'awaiting_visitation',
      referral: { missing: [], visitationDueBy: created.body.visitationDueBy },
    });
    expect(done.headers.etag).toBe(`"${done.body.revision}"`);
  });

  it('visitation reject ends the course with reason and plan; the ended course refuses changes', async () => {
    const { courseId } = (await api.referral(cprFor(2))).body;
    const noPlan = await api.call('post', `/courses/${courseId}/visitation`, ['clinician'], {
      decision: 'reject',
      assessment: { ...ALL_CRITERIA_MET, DIAGNOSTICALLY_CLARIFIED: false },
    });
    expect(noPlan.status).toBe(422);
    expect(noPlan.body.code).toBe('REASON_REQUIRED');

    const rejected = await api.call(
      'post',
      `/courses/${courseId}/visitation`,
      ['clinician'],
      {
        decision: 'reject',
        assessment: { ...ALL_CRITERIA_MET, DIAGNOSTICALLY_CLARIFIED: false },
        reason: 'Not diagnostically clarified: awaiting rheumatology.',
        planForGp: 'Re-refer when the rheumatology work-up is finished.',
      },
      {},
      'doc-7',
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'ended',
      visitation: {
        decision: 'rejected',
        decidedBy: 'doc-7',
        withinDeadline: true,
        reason: 'Not diagnostically clarified: awaiting rheumatology.',
      },
      ended: {
        reason: 'rejected',
        note: 'Not diagnostically clarified: awaiting rheumatology.',
        planForGp: 'Re-refer when the rheumatology work-up is finished.',
        endedBy: 'doc-7',
      },
    });
    const later = await api.call('post', `/courses/${courseId}/microteam`, ['clinician'], { clinicianId: 'doc-1', role: 'PAL' });
    expect(later.status).toBe(422);
    expect(later.body.code).toBe('COURSE_ENDED');
  });

  it('accept → facts (who, when, basis) → microteam PAL + contact nurse → steps in order; out of order → 422 STEP_OUT_OF_ORDER', async () => {
    const { courseId } = (await api.referral(cprFor(3))).body;
    const base = `/courses/${courseId}`;
    expect(
      (await api.call('post', `${base}/visitation`, ['clinician'], { decision: 'accept', assessment: ALL_CRITERIA_MET }, {}, 'doc-7')).body
        .status,
    ).toBe('active');

    const facts = await api.call(
      'put',
      `${base}/criteria`,
      ['clinician'],
      {
        facts: [
          { fact: 'needsInterpreter', value: false, basis: { source: 'REFERRAL' } },
          {
            fact: 'motivatedFor',
            key: 'LIVET_MED_SMERTER',
            value: true,
            basis: { source: 'CONSULTATION', stepCode: 'KORT_PRIMAERSAMTALE', note: 'keen' },
          },
        ],
        reason: 'from the referral and the first talk',
      },
      {},
      'doc-7',
    );
    expect(facts.status).toBe(200);
    expect(facts.body.facts.current).toMatchObject({ needsInterpreter: false, motivatedFor: { LIVET_MED_SMERTER: true } });
    expect(facts.body.facts.history).toEqual([
      {
        fact: 'needsInterpreter',
        value: false,
        basis: { source: 'REFERRAL' },
        recordedAt: expect.any(String),
        recordedBy: 'doc-7',
        reason: 'from the referral and the first talk',
      },
      expect.objectContaining({ fact: 'motivatedFor', key: 'LIVET_MED_SMERTER', value: true, recordedBy: 'doc-7' }),
    ]);
    const again = await api.call('put', `${base}/criteria`, ['clinician'], {
      facts: [{ fact: 'needsInterpreter', value: false, basis: { source: 'REFERRAL' } }],
    });
    expect(again.status).toBe(200);
    expect(again.headers['x-event-position']).toBeUndefined(); // unchanged: nothing written
    const badFact = await api.call('put', `${base}/criteria`, ['clinician'], {
      facts: [{ fact: 'needsInterpreter', value: 'maybe', basis: { source: 'REFERRAL' } }],
    });
    expect(badFact.status).toBe(422);
    expect(badFact.body.code).toBe('FACT_VALUE_INVALID');

    const kort = await api.call('post', `${base}/steps/KORT_PRIMAERSAMTALE/schedule`, ['secretary'], { at: inDays(2) });
    expect(kort.status).toBe(200);
    expect(kort.body.currentStep).toMatchObject({ stepCode: 'KORT_PRIMAERSAMTALE', status: 'scheduled' });
    const outOfOrder = await api.call('post', `${base}/steps/LANG_PRIMAERSAMTALE/schedule`, ['secretary'], { at: inDays(20) });
    expect(outOfOrder.status).toBe(422);
    expect(outOfOrder.body).toMatchObject({ code: 'STEP_OUT_OF_ORDER', details: { missing: ['FORSTAA_SMERTE'] } });
    expect(outOfOrder.body.message).toMatch(/^Long first talk cannot be booked yet: Understanding pain has not been booked\.$/);

    expect((await api.call('post', `${base}/steps/KORT_PRIMAERSAMTALE/complete`, ['clinician'], {})).status).toBe(200);
    expect(
      (await api.call('post', `${base}/steps/FORSTAA_SMERTE/skip`, ['clinician'], { reason: 'Attended Forstå smerte in 2025 elsewhere' }))
        .status,
    ).toBe(200);
    const noTeam = await api.call('post', `${base}/steps/LANG_PRIMAERSAMTALE/schedule`, ['secretary'], { at: inDays(20) });
    expect(noTeam.status).toBe(422);
    expect(noTeam.body.code).toBe('MICROTEAM_INCOMPLETE');

    expect((await api.call('post', `${base}/microteam`, ['secretary'], { clinicianId: 'doc-7', role: 'PAL' })).status).toBe(200);
    const nurse = await api.call('post', `${base}/microteam`, ['clinician'], {
      clinicianId: 'nurse-4',
      role: 'CONTACT_NURSE',
      reason: 'coordinator after the long talk',
    });
    expect(nurse.body.microteam.members).toEqual([
      { clinicianId: 'doc-7', role: 'PAL', since: expect.any(String) },
      { clinicianId: 'nurse-4', role: 'CONTACT_NURSE', since: expect.any(String) },
    ]);
    const lang = await api.call('post', `${base}/steps/LANG_PRIMAERSAMTALE/schedule`, ['secretary'], { at: inDays(20) });
    expect(lang.status).toBe(200);
    expect(lang.body.nextStep).toMatchObject({ stepCode: 'LIVET_MED_SMERTER', programme: 'LIVET_MED_SMERTER' });
    expect(lang.body.steps.find((s: { code: string }) => s.code === 'FORSTAA_SMERTE')).toMatchObject({
      status: 'skipped',
      skipReason: 'Attended Forstå smerte in 2025 elsewhere',
    });

    const addOn = await api.call('post', `${base}/add-ons`, ['clinician'], {
      stepCode: 'SOCIAL_VISITATION',
      reason: 'Sick-listed; job-centre process unclear',
    });
    expect(addOn.body.addOns).toEqual([
      { stepCode: 'SOCIAL_VISITATION', reason: 'Sick-listed; job-centre process unclear', addedAt: expect.any(String) },
    ]);
    const tooEarly = await api.call('post', `${base}/choices/STRESS_REDUCTION`, ['clinician'], { option: 'MBSR' });
    expect(tooEarly.status).toBe(422);
    expect(tooEarly.body.code).toBe('CHOICE_TOO_EARLY');

    const removed = await api.call('delete', `${base}/microteam/nurse-4`, ['secretary'], { reason: 'On long leave' });
    expect(removed.status).toBe(200);
    expect(removed.body.microteam.members.map((m: { clinicianId: string }) => m.clinicianId)).toEqual(['doc-7']);
    const notThere = await api.call('delete', `${base}/microteam/nurse-4`, ['secretary'], { reason: 'again' });
    expect(notThere.status).toBe(422);
    expect(notThere.body.code).toBe('NOT_IN_MICROTEAM');
  });

  it('GET /courses/{id} shows steps, current/next step, open items and waiting times, with an ETag; auditors read', async () => {
    const { courseId } = await api.activeCourse(cprFor(4));
    await api.call('post', `/courses/${courseId}/steps/KORT_PRIMAERSAMTALE/schedule`, ['secretary'], { at: inDays(3) });
    const res = await api.call('get', `/courses/${courseId}`, ['auditor']);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"${res.body.revision}"`);
    expect(res.body).toMatchObject({
      courseId,
      status: 'active',
      pathway: { code: 'SMERTECENTER_STANDARD', version: 1 },
      currentStep: { stepCode: 'KORT_PRIMAERSAMTALE', status: 'scheduled' },
      nextStep: { stepCode: 'FORSTAA_SMERTE', programme: 'FORSTAA_SMERTE' },
      microteam: { members: [], coordinator: { role: 'SECRETARY' } },
      seats: [],
      waitlists: [],
      appointments: [],
      waitingTimes: { firstConsultation: { stepCode: 'KORT_PRIMAERSAMTALE' }, visitation: { withinDeadline: true } },
    });
    const steps = Object.fromEntries(res.body.steps.map((s: { code: string }) => [s.code, s]));
    expect(steps.KORT_PRIMAERSAMTALE).toMatchObject({ status: 'scheduled', bookable: false, inCourse: true });
    expect(steps.FORSTAA_SMERTE).toMatchObject({ status: 'pending', bookable: true });
    expect(steps.HA).toMatchObject({ optional: true, inCourse: false });
    expect(steps.STRESS_REDUCTION).toMatchObject({ kind: 'choice', options: ['AFSPAENDING', 'MBSR'] });
  });

  it('the same CPR twice (either spelling, or five referrals at once) → one pseudonymous patientId; the CPR is in no event, response or error', async () => {
    const first = await api.referral(CPR);
    // the same patient under the other spelling: an open course exists, so a second one needs newCourse and a reason
    const refused = await api.referral(CPR.replace('-', ''));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'OPEN_COURSE_EXISTS', details: { courseId: first.body.courseId } });
    const second = await api.call('post', '/referrals', ['secretary'], {
      cpr: CPR.replace('-', ''),
      receivedAt: anHourAgo(),
      referrer: { kind: 'GP', id: 'GP-042113' },
      content: FULL_CONTENT,
      newCourse: true,
      reason: 'second problem',
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.courseId).not.toBe(first.body.courseId);
    expect(second.body.patientId).toBe(first.body.patientId);

    const ds = t.app.get(DataSource);
    const [{ hash }] = await ds.query('SELECT cpr_hash AS hash FROM patients WHERE patient_id = $1', [first.body.patientId]);
    const events: Array<{ stream_id: string; type: string; text: string }> = await ds.query(
      "SELECT stream_id, type, data::text || ' ' || metadata::text AS text FROM events ORDER BY global_position",
    );
    const received = events.filter((e) => e.type === 'ReferralReceived' && e.text.includes(first.body.patientId));
    expect(received.map((e) => e.stream_id).sort()).toEqual([`course-${first.body.courseId}`, `course-${second.body.courseId}`].sort());
    for (const e of events) {
      for (const form of [...CPR_FORMS, hash]) expect(e.text).not.toContain(form);
      expect(e.stream_id).not.toContain('070761');
    }
    const stored = await t.app.get(PatientIdentityService).reveal(first.body.patientId);
    expect(stored).toBe('0707614285');
    const [{ raw }] = await ds.query("SELECT encode(cpr_encrypted, 'escape') AS raw FROM patients WHERE patient_id = $1", [
      first.body.patientId,
    ]);
    expect(raw).not.toContain('0707614285');

    const racing = await Promise.all(
      [0, 1, 2, 3, 4].map(() =>
        api.call('post', '/referrals', ['secretary'], {
          cpr: cprFor(10),
          receivedAt: anHourAgo(),
          referrer: { kind: 'GP', id: 'GP-042113' },
          content: FULL_CONTENT,
          newCourse: true,
          reason: 'racing test',
        }),
      ),
    );
    expect(racing.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(racing.map((r) => r.body.patientId)).size).toBe(1);
    expect(new Set(racing.map((r) => r.body.courseId)).size).toBe(5);
    const rows = await ds.query('SELECT count(*)::int AS n FROM patients WHERE patient_id = $1', [racing[0].body.patientId]);
    expect(rows[0].n).toBe(1);

    const inText = await api.referral(cprFor(5), { ...FULL_CONTENT, PSYCHOLOGICAL_FACTORS: 'see 070761-4285' });
    expect(inText.status).toBe(422);
    expect(inText.body.code).toBe('CPR_IN_TEXT');
    for (const text of api.seen) for (const form of CPR_FORMS) expect(text).not.toContain(form);
    const remembered: Array<{ text: string }> = await ds.query(
      "SELECT coalesce(body::text, '') || headers::text AS text FROM idempotent_responses",
    );
    for (const r of remembered) for (const form of CPR_FORMS) expect(r.text).not.toContain(form);
  });

  it('GET /docs-json documents every course route', async () => {
    const res = await request(t.server).get('/docs-json').expect(200);
    const paths = Object.keys(res.body.paths);
    for (const p of [
      '/referrals',
      '/courses/{id}',
      '/courses/{id}/referral',
      '/courses/{id}/visitation',
      '/courses/{id}/criteria',
      '/courses/{id}/microteam',
      '/courses/{id}/microteam/{clinicianId}',
      '/courses/{id}/steps/{stepCode}/schedule',
      '/courses/{id}/steps/{stepCode}/complete',
      '/courses/{id}/steps/{stepCode}/skip',
      '/courses/{id}/choices/{stepCode}',
      '/courses/{id}/add-ons',
      '/courses/{id}/end',
      '/courses/{id}/appointments',
      '/courses/{id}/appointments/{appointmentId}',
    ]) {
      expect(paths).toContain(p);
    }
    expect(res.body.components.schemas.CreateReferralRequest.properties.cpr.example).toBe('010100-0000');
  });

  it('an invalid CPR number → 400 with the reasons, never the number', async () => {
    for (const bad of ['321299-1234', '011399-1234', '3104991234x']) {
      const res = await api.referral(bad);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields).toEqual([{ field: 'cpr', problems: [expect.stringMatching(/CPR number/)] }]);
      expect(res.text).not.toContain(bad.slice(0, 6));
      expect(res.text).not.toContain(bad.slice(7, 11));
    }
    const several = await api.call('post', '/referrals', ['secretary'], {
      cpr: '321299-1234',
      receivedAt: 'yesterday',
      referrer: { kind: 'GP', id: 'x' },
      content: {},
      extra: 1,
    });
    expect(several.status).toBe(400);
    expect(several.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['cpr', 'extra', 'receivedAt']);
    expect(several.text).not.toContain('321299');
  });

  it("an auditor cannot write (403); an unknown course, a malformed id and another clinic's course are 404; no token is 401", async () => {
    const { courseId } = await api.activeCourse(cprFor(6));
    const audit = await api.call('post', `/courses/${courseId}/microteam`, ['auditor'], { clinicianId: 'doc-1', role: 'PAL' });
    expect(audit.status).toBe(403);
    expect(audit.body.code).toBe('FORBIDDEN');
    expect(
      (
        await api.call('post', '/referrals', ['auditor'], {
          cpr: cprFor(7),
          receivedAt: anHourAgo(),
          referrer: { kind: 'GP', id: 'x' },
          content: FULL_CONTENT,
        })
      ).status,
    ).toBe(403);
    expect((await api.call('get', `/courses/${courseId}`, ['secretary'], undefined, {}, 'sec-9', 'other-clinic')).status).toBe(404);
    expect(
      (await api.call('post', `/courses/${courseId}/end`, ['clinician'], { reason: 'dropped_out', note: 'x' }, {}, 'doc-9', 'other-clinic'))
        .status,
    ).toBe(404);
    expect((await api.call('get', '/courses/5b7f8c1e-2d1a-4c43-9a1e-7d2f4b9c0a12', ['secretary'])).body.code).toBe('NOT_FOUND');
    expect((await api.call('get', '/courses/not-a-uuid', ['secretary'])).status).toBe(404);
    expect((await api.call('get', `/courses/${courseId}`, ['integration'])).status).toBe(403);
    expect((await request(t.server).get(`/courses/${courseId}`)).status).toBe(401);
  });

  it('If-Match: a stale revision → 412 and nothing written; the current one → 200', async () => {
    const { courseId } = await api.activeCourse(cprFor(8));
    const read = await api.call('get', `/courses/${courseId}`, ['secretary']);
    const etag = read.headers.etag;
    expect(
      (await api.call('post', `/courses/${courseId}/microteam`, ['clinician'], { clinicianId: 'doc-1', role: 'PAL' }, { 'If-Match': etag }))
        .status,
    ).toBe(200);
    const stale = await api.call(
      'post',
      `/courses/${courseId}/microteam`,
      ['clinician'],
      { clinicianId: 'nurse-1', role: 'CONTACT_NURSE' },
      { 'If-Match': etag },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('PRECONDITION_FAILED');
    const after = await api.call('get', `/courses/${courseId}`, ['secretary']);
    expect(after.body.microteam.members.map((m: { role: string }) => m.role)).toEqual(['PAL']);
    expect(
      (
        await api.call(
          'post',
          `/courses/${courseId}/end`,
          ['clinician'],
          { reason: 'dropped_out', note: 'Moved abroad' },
          { 'If-Match': after.headers.etag },
        )
      ).body.status,
    ).toBe('ended');
  });

  it('Idempotency-Key: a retried (and a concurrent duplicate) POST /referrals returns the same course and creates one', async () => {
    const key = 'referral-key-0001';
    const receivedAt = anHourAgo();
    const send = () => api.referral(cprFor(9), FULL_CONTENT, { 'Idempotency-Key': key }, receivedAt);
    const [a, b] = await Promise.all([send(), send()]);
    const c = await send();
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(new Set([a, b, c].map((r) => r.body.courseId)).size).toBe(1);
    expect(c.headers['idempotent-replayed']).toBe('true');
    const changed = await api.referral(cprFor(9), { ...FULL_CONTENT, CURRENT_MEDICATION: 'none' }, { 'Idempotency-Key': key }, receivedAt);
    expect(changed.status).toBe(422);
    expect(changed.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const ds = t.app.get(DataSource);
    const rows = await ds.query("SELECT count(*)::int AS n FROM events WHERE type = 'ReferralReceived' AND stream_id = $1", [
      `course-${a.body.courseId}`,
    ]);
    expect(rows[0].n).toBe(1);
  });
});
