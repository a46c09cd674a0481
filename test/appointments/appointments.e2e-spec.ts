import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { EventStore } from '#app/event-store';
import { EVENT_STORE } from '../../apps/api/src/platform/persistence/tokens.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { courseApi, cprFor, type Api } from '../courses/course-api.js';
import { registerStaff } from '../support/clinic-staff.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();

/** a Monday in winter time, far enough ahead; every test books its own hour so tests do not clash with each other */
const at = (hour: number, minute = 0): string => `2030-01-07T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+01:00`;

describeForEachDatabase(targets, 'appointments: individual consultations without clashes', (target) => {
  let t: TestApp;
  let api: Api;
  let courses: Array<{ courseId: string; patientId: string }>;
  let R: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp(target);
    api = courseApi(t);
    courses = [];
    // only the clinic's own registered clinicians and rooms can be booked
    R = await registerStaff(t, {
      clinicians: [
        'doc-1',
        'doc-2',
        'nurse-2',
        'nurse-3',
        'nurse-4',
        'psy-1',
        'physio-1',
        'doc-6',
        'doc-8',
        'doc-9',
        'doc-10',
        ...Array.from({ length: 10 }, (_, i) => `nurse-r${i}`),
      ],
      rooms: ['room-1', 'room-3', 'room-6', 'room-9', 'room-race', 'gym'],
    });
    for (let i = 0; i < 11; i++) courses.push(await api.activeCourse(cprFor(100 + i)));
  });
  afterAll(() => closeIfStarted(t));

  const book = (course: number, body: object, headers: Record<string, string> = {}) =>
    api.call('post', `/courses/${courses[course].courseId}/appointments`, ['secretary'], body, headers);

  it('books with the catalogue duration, Location and ETag; the course shows it', async () => {
    const res = await book(0, {
      intervention: 'KORT_PRIMAERSAMTALE',
      start: '2030-01-07T07:00:00Z',
      clinicianIds: ['doc-1'],
      roomId: R['room-1'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      courseId: courses[0].courseId,
      intervention: 'KORT_PRIMAERSAMTALE',
      start: at(8),
      end: at(8, 15),
      durationMinutes: 15,
      clinicianIds: ['doc-1'],
      roomId: R['room-1'],
      status: 'booked',
    });
    expect(res.headers.location).toBe(`/courses/${courses[0].courseId}/appointments/${res.body.appointmentId}`);
    expect(res.headers.etag).toBe('"0"');
    expect(res.headers['x-event-position']).toMatch(/^\d+-\d+$/);
    const course = await api.call('get', `/courses/${courses[0].courseId}`, ['auditor']);
    expect(course.body.appointments).toEqual([res.body]);
    const one = await api.call('get', res.headers.location, ['clinician']);
    expect(one.body).toEqual(res.body);
  });

  it('refuses a clinician clash with 409 naming the clinician and the taken time, never whose booking it is', async () => {
    const first = await book(0, { intervention: 'LANG_PRIMAERSAMTALE', start: at(9), clinicianIds: ['doc-2', 'nurse-2'] });
    expect(first.status).toBe(201);
    expect(first.body.end).toBe(at(11, 30)); // the 150-minute slot
    const clash = await book(1, { intervention: 'NURSE_FOLLOWUP_1', start: at(11), clinicianIds: ['nurse-2'], roomId: R['room-9'] });
    expect(clash.status).toBe(409);
    expect(clash.body).toEqual({
      statusCode: 409,
      code: 'SCHEDULE_CLASH',
      message: `Clinician nurse-2 is already booked for another appointment from ${at(9)} to ${at(11, 30)}.`,
      details: {
        resource: 'clinician',
        resourceId: 'nurse-2',
        busyWith: 'appointment',
        start: at(9),
        end: at(11, 30),
        clashes: [{ resource: 'clinician', resourceId: 'nurse-2', busyWith: 'appointment', start: at(9), end: at(11, 30) }],
      },
    });
    for (const other of [courses[0].courseId, courses[0].patientId, first.body.appointmentId]) expect(clash.text).not.toContain(other);
    const after = await book(1, { intervention: 'NURSE_FOLLOWUP_1', start: at(11, 30), clinicianIds: ['nurse-2'], roomId: R['room-9'] });
    expect(after.status).toBe(201); // back to back is fine; room-9 was not left reserved by the refused attempt
  });

  it('refuses a room clash, and lists every clashing resource at once', async () => {
    expect(
      (await book(2, { intervention: 'NURSE_FOLLOWUP_2', start: at(13), clinicianIds: ['nurse-3'], roomId: R['room-3'] })).status,
    ).toBe(201);
    const room = await book(3, { intervention: 'NURSE_FOLLOWUP_2', start: at(13, 30), clinicianIds: ['nurse-4'], roomId: R['room-3'] });
    expect(room.status).toBe(409);
    expect(room.body.details).toMatchObject({ resource: 'room', resourceId: R['room-3'], start: at(13), end: at(13, 45) });
    expect(room.body.message).toBe(`Room ${R['room-3']} is already booked for another appointment from ${at(13)} to ${at(13, 45)}.`);
    const both = await book(3, { intervention: 'NURSE_FOLLOWUP_2', start: at(13, 15), clinicianIds: ['nurse-3'], roomId: R['room-3'] });
    expect(both.body.details.clashes.map((c: { resource: string }) => c.resource)).toEqual(['clinician', 'room']);
  });

  it('refuses a patient clash (the same patient with other staff and room)', async () => {
    expect((await book(4, { intervention: 'PSYCH_VISITATION', start: at(15), clinicianIds: ['psy-1'] })).status).toBe(201);
    const clash = await book(4, {
      intervention: 'PHYSIO_VISITATION',
      start: at(15, 30),
      durationMinutes: 90,
      clinicianIds: ['physio-1'],
      roomId: R['gym'],
    });
    expect(clash.status).toBe(409);
    expect(clash.body.details).toEqual(expect.objectContaining({ resource: 'patient', start: at(15), end: at(16) }));
    expect(clash.body.details.resourceId).toBeUndefined();
    expect(clash.body.message).toMatch(/^The patient is already booked/);
    // the refused booking left nothing behind on physio-1 and the gym
    expect(
      (
        await book(5, {
          intervention: 'PHYSIO_VISITATION',
          start: at(15, 30),
          durationMinutes: 90,
          clinicianIds: ['physio-1'],
          roomId: R['gym'],
        })
      ).status,
    ).toBe(201);
  });

  it('cancelling keeps the appointment as cancelled with the reason and frees clinician and room; If-Match is honoured', async () => {
    const booked = await book(6, {
      intervention: 'MEDICINE_TALK',
      start: at(17),
      durationMinutes: 30,
      clinicianIds: ['doc-6'],
      roomId: R['room-6'],
    });
    expect(booked.status).toBe(201);
    const path = `/courses/${courses[6].courseId}/appointments/${booked.body.appointmentId}`;
    const stale = await api.call('delete', path, ['secretary'], { reason: 'Patient ill' }, { 'If-Match': '"7"' });
    expect(stale.status).toBe(412);
    const cancelled = await api.call('delete', path, ['secretary'], { reason: 'Patient ill' }, { 'If-Match': booked.headers.etag });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      appointmentId: booked.body.appointmentId,
      status: 'cancelled',
      cancelReason: 'Patient ill',
      cancelledAt: expect.any(String),
    });
    const list = await api.call('get', `/courses/${courses[6].courseId}/appointments`, ['secretary']);
    expect(list.body.appointments).toEqual([cancelled.body]);
    expect(list.headers.etag).toBe(cancelled.headers.etag);
    expect(
      (await book(7, { intervention: 'MEDICINE_TALK', start: at(17), durationMinutes: 30, clinicianIds: ['doc-6'], roomId: R['room-6'] }))
        .status,
    ).toBe(201);
    expect((await api.call('delete', path, ['auditor'], { reason: 'x' })).status).toBe(403);
    expect(
      (await api.call('delete', `/courses/${courses[6].courseId}/appointments/${randomUUID()}`, ['secretary'], { reason: 'x' })).status,
    ).toBe(404);
  });

  it('8 secretaries booking one clinician slot at once → exactly one 201, seven 409 naming the clinician', async () => {
    const results = await Promise.all(
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
        api.call(
          'post',
          `/courses/${courses[i + 1].courseId}/appointments`,
          ['secretary'],
          { intervention: 'KORT_PRIMAERSAMTALE', start: at(19), clinicianIds: ['doc-8'] },
          {},
          `sec-${i}`,
        ),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409))
      expect(r.body.details).toMatchObject({ resource: 'clinician', resourceId: 'doc-8', start: at(19) });
    const ds = t.app.get(DataSource);
    const rows: Array<{ type: string }> = await ds.query('SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_revision', [
      'schedule-clinician-doc-8',
    ]);
    expect(rows.map((r) => r.type)).toEqual(['SlotReserved']);
  });

  it('bookings racing for one room with different clinicians: one wins, the others release the clinicians they had reserved', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) =>
        api.call(
          'post',
          `/courses/${courses[i].courseId}/appointments`,
          ['secretary'],
          { intervention: 'NURSE_FOLLOWUP_1', start: at(22), clinicianIds: [`nurse-r${i}`], roomId: R['room-race'] },
          {},
          `sec-${i}`,
        ),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409))
      expect(r.body.details).toMatchObject({ resource: 'room', resourceId: R['room-race'] });
    // every loser's nurse is free again at that time, whether it was refused before reserving or compensated after
    const losers = [1, 2, 3, 4, 5, 6].filter((_, k) => results[k].status === 409);
    for (const i of losers) {
      const again = await book(i, { intervention: 'NURSE_FOLLOWUP_1', start: at(22), clinicianIds: [`nurse-r${i}`] });
      expect(again.status).toBe(201);
    }
    const ds = t.app.get(DataSource);
    const compensations = await ds.query(
      "SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'schedule-clinician-nurse-r%' AND type = 'SlotReleased' AND (data->>'compensation')::boolean",
    );
    const reserved = await ds.query(
      "SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'schedule-clinician-nurse-r%' AND type = 'SlotReserved'",
    );
    expect(reserved[0].n).toBe(1 + losers.length + compensations[0].n);
  });

  it('an abandoned hold (a booking that crashed before the patient was reserved) is voided and released by the next booking', async () => {
    const store = t.app.get<EventStore>(EVENT_STORE);
    const abandoned = randomUUID();
    await store.appendToStream(
      'schedule-clinician-doc-9',
      [
        {
          id: randomUUID(),
          type: 'SlotReserved',
          data: {
            appointmentId: abandoned,
            kind: 'appointment',
            resource: { kind: 'clinician', id: 'doc-9' },
            start: at(20),
            end: at(20, 30),
            courseId: courses[9].courseId,
            intervention: 'MEDICINE_TALK',
            clinicianIds: ['doc-9'],
            reservedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
          },
          metadata: { clinicId: 'smertecenter-syd' },
        },
      ],
      'no_stream',
    );
    const res = await book(10, { intervention: 'MEDICINE_TALK', start: at(20), durationMinutes: 30, clinicianIds: ['doc-9'] });
    expect(res.status).toBe(201);
    const ds = t.app.get(DataSource);
    const voided = await ds.query("SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = 'SlotVoided'", [
      `schedule-patient-${courses[9].patientId}`,
    ]);
    expect(voided[0].n).toBe(1);
  });

  it('an Idempotency-Key retry returns the same appointment; an unaccepted course and an unknown intervention are refused', async () => {
    const body = { intervention: 'CLOSING_TALK', start: at(21), clinicianIds: ['doc-10'] };
    const first = await book(8, body, { 'Idempotency-Key': 'appointment-key-01' });
    const retry = await book(8, body, { 'Idempotency-Key': 'appointment-key-01' });
    expect(first.status).toBe(201);
    expect(retry.body.appointmentId).toBe(first.body.appointmentId);
    const onHold = await api.referral(cprFor(200), { CURRENT_MEDICATION: 'none' });
    const early = await api.call('post', `/courses/${onHold.body.courseId}/appointments`, ['secretary'], body);
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('REFERRAL_ON_HOLD');
    const unknown = await book(8, { ...body, intervention: 'ACUPUNCTURE' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('UNKNOWN_INTERVENTION');
    const invalid = await book(8, { intervention: 'CLOSING_TALK', start: '2030-01-07 21:00', clinicianIds: [] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['clinicianIds', 'start']);
  });
});
