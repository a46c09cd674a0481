import { DateTime } from 'luxon';
import { scheduleDecider, scheduleStreamId } from '#app/domain';
import request from 'supertest';
import type { Role } from '../../apps/api/src/platform/auth/actor.js';
import { EnrolmentFixtures, iso } from '../enrolment/enrolment-fixtures.js';
import { describeForEachDatabase, testDatabaseTargets } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { as } from '../teams/helpers.js';
import { caughtUp } from './caught-up.js';
import { fhirProblems } from './fhir-validation.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

const targets = await testDatabaseTargets();
const ZONE = 'Europe/Copenhagen';

interface Entry {
  fullUrl: string;
  resource: Record<string, any>;
}

const parameters = (...parameter: Array<Record<string, unknown>>) => ({ resourceType: 'Parameters', parameter });
const patientParam = (patientId: string) => ({ name: 'patient', valueReference: { reference: `Patient/${patientId}` } });

/**
 * IHE Scheduling on FHIR: Appointment/$find proposes open seats on teams the course may join and free times
 * of individual interventions; $hold keeps a time for settings.holdMinutes; $book writes through the REST
 * API's own enrolment and appointment code (same refusals, as OperationOutcomes; Idempotency-Key; the
 * integration as the events' actor). Every Bundle and resource is validated against R4 (`fhir` package).
 */
describeForEachDatabase(targets, 'FHIR scheduling operations ($find, $hold, $book)', (target) => {
  let t: TestApp;
  let fx: EnrolmentFixtures;
  let roomId: string;
  let openTeam: string;
  let fullTeam: string;
  let eligible: { courseId: string; patientId: string };
  let interpreter: { courseId: string; patientId: string };
  let other: { courseId: string; patientId: string };
  /** a weekday two weeks on, in the clinic's zone */
  let day: DateTime;

  async function op(name: string, body: unknown, options: { roles?: Role[]; key?: string; sub?: string } = {}) {
    let req = request(t.server)
      .post(`/fhir/Appointment/$${name}`)
      .set('Authorization', `Bearer ${await t.token(options.roles ?? ['integration'], options.sub ?? 'his-1')}`)
      .set('Content-Type', 'application/fhir+json');
    if (options.key) req = req.set('Idempotency-Key', options.key);
    const res = await req.send(JSON.stringify(body));
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const parsed = JSON.parse(res.text);
    expect({ name, problems: fhirProblems(parsed) }).toEqual({ name, problems: [] });
    for (const e of (parsed.entry ?? []) as Entry[]) expect({ problems: fhirProblems(e.resource) }).toEqual({ problems: [] });
    return { status: res.status, body: parsed, headers: res.headers };
  }

  async function resolvesEveryReference(resource: unknown): Promise<void> {
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) {
        v.forEach(walk);
        return;
      }
      if (!v || typeof v !== 'object') return;
      for (const [k, c] of Object.entries(v as Record<string, unknown>)) {
        if (k === 'reference' && typeof c === 'string') refs.push(c);
        else walk(c);
      }
    };
    walk(resource);
    for (const ref of new Set(refs)) {
      const res = await request(t.server)
        .get(`/fhir/${ref}`)
        .set('Authorization', `Bearer ${await t.token(['integration'], 'his-1')}`);
      expect({ ref, status: res.status }).toEqual({ ref, status: 200 });
    }
  }

  const courseOf = async (courseId: string) => ({
    courseId,
    patientId: ((await fx.courseState(courseId)).events[0].data as { patientId: string }).patientId,
  });

  beforeAll(async () => {
    t = await startTestApp(target, { WEBHOOK_DELIVERY_INTERVAL_MS: '0' });
    fx = new EnrolmentFixtures(t);
    const secretary = await as(t, ['secretary'], 'sec-1');
    roomId = (await secretary.post('/rooms', { name: 'Samtalerum 3', seats: 2 }).expect(201)).body.roomId;
    for (const clinicianId of ['doc-31', 'doc-44'])
      await secretary.post('/clinicians', { clinicianId, professions: ['DOCTOR'], employmentStart: '2020-01-01' }).expect(201);
    openTeam = await fx.planTeam({ startsInDays: 20 });
    fullTeam = await fx.planTeam({ startsInDays: 30, seats: 1 });
    eligible = await courseOf(await fx.course());
    interpreter = await courseOf(await fx.course());
    await fx.recordFact(interpreter.courseId, 'needsInterpreter', true);
    other = await courseOf(await fx.course());
    expect((await fx.enrol(await t.token(['secretary'], 'sec-1'), other.courseId, { teamId: fullTeam })).status).toBe(201);
    day = DateTime.now().setZone(ZONE).plus({ days: 14 }).startOf('day');
    while (day.weekday > 5) day = day.plus({ days: 1 });
    await caughtUp(t);
  });
  afterAll(() => closeIfStarted(t));

  it('the CapabilityStatement names the three operations on Appointment', async () => {
    const cs = JSON.parse((await request(t.server).get('/fhir/metadata').expect(200)).text);
    const appointment = cs.rest[0].resource.find((r: { type: string }) => r.type === 'Appointment');
    expect(appointment.operation.map((o: { name: string }) => o.name)).toEqual(['find', 'hold', 'book']);
  });

  it('$find proposes the open seats of teams the course may join: not a full team, not one the patient is not eligible for', async () => {
    const found = await op('find', parameters(patientParam(eligible.patientId), { name: 'service-type', valueCode: 'FORSTAA_SMERTE' }));
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    const teams = (found.body.entry as Entry[]).map((e) => e.resource.slot[0].reference.split('/')[1].split('.')[0]);
    expect(teams).toContain(openTeam);
    expect(teams).not.toContain(fullTeam);
    const proposal = present((found.body.entry as Entry[]).find((e) => e.resource.slot[0].reference.includes(openTeam)));
    expect(proposal.fullUrl).toMatch(/^urn:uuid:/);
    expect(proposal.resource).toMatchObject({ status: 'proposed', serviceType: [{ coding: [{ code: 'FORSTAA_SMERTE' }] }] });
    await resolvesEveryReference(proposal.resource);
    // the same through healthcare-service, and with the course instead of the patient
    const byService = await op(
      'find',
      parameters(
        { name: 'course', valueString: eligible.courseId },
        { name: 'healthcare-service', valueReference: { reference: 'HealthcareService/forstaa-smerte' } },
      ),
    );
    expect(byService.body.entry.map((e: Entry) => e.resource.slot[0].reference)).toEqual(
      found.body.entry.map((e: Entry) => e.resource.slot[0].reference),
    );
    // a patient who needs an interpreter is not eligible for Forstå smerte: nothing proposed
    const none = await op('find', parameters(patientParam(interpreter.patientId), { name: 'service-type', valueCode: 'FORSTAA_SMERTE' }));
    expect(none.body.entry.filter((e: Entry) => e.resource.slot[0].reference.includes(openTeam))).toEqual([]);
  });

  it('$book refuses with the REST API’s refusals as an OperationOutcome: one issue per failed criterion', async () => {
    const proposal = (
      await op('find', parameters(patientParam(eligible.patientId), { name: 'service-type', valueCode: 'FORSTAA_SMERTE' }))
    ).body.entry.find((e: Entry) => e.resource.slot[0].reference.includes(openTeam)).resource;
    // the same seat for the patient who needs an interpreter
    const forInterpreter = {
      ...proposal,
      participant: [{ actor: { reference: `Patient/${interpreter.patientId}` }, required: 'required', status: 'needs-action' }],
    };
    const refused = await op('book', parameters({ name: 'appt-resource', resource: forInterpreter }), { key: 'book-interp-0001' });
    expect(refused.status).toBe(422);
    const rest = await fx.enrol(await t.token(['secretary'], 'sec-1'), interpreter.courseId, { teamId: openTeam });
    expect(rest.status).toBe(422);
    expect(refused.body.issue[0]).toMatchObject({
      code: 'processing',
      details: { coding: [{ code: rest.body.code }], text: rest.body.message },
    });
    const criteria = refused.body.issue
      .slice(1)
      .map((i: { code: string; details: { coding: Array<{ code: string }>; text: string } }) => [
        i.code,
        i.details.coding[0].code,
        i.details.text,
      ]);
    expect(criteria).toEqual(rest.body.details.failures.map((f: { code: string; reason: string }) => ['business-rule', f.code, f.reason]));
    expect(criteria.map((c: string[]) => c[1])).toContain('FS_NEEDS_INTERPRETER');
    // a full team: TEAM_FULL, 409, as POST /courses/{id}/enrolments
    const full = { ...proposal, slot: [{ reference: `Slot/${fullTeam}.S1` }] };
    const teamFull = await op('book', parameters({ name: 'appt-resource', resource: full }), { key: 'book-full-00001' });
    expect(teamFull.status).toBe(409);
    expect(teamFull.body.issue[0]).toMatchObject({ code: 'conflict', details: { coding: [{ code: 'TEAM_FULL' }] } });
  });

  it('$book takes the seat through the enrolment write path: idempotent, the integration is the actor, and the booked Appointment reads back', async () => {
    const proposal = (
      await op('find', parameters(patientParam(eligible.patientId), { name: 'service-type', valueCode: 'FORSTAA_SMERTE' }))
    ).body.entry.find((e: Entry) => e.resource.slot[0].reference.includes(openTeam)).resource;
    const body = parameters(
      { name: 'appt-resource', resource: proposal },
      { name: 'reason', valueString: 'Booked from the hospital’s booking screen' },
    );
    const booked = await op('book', body, { key: 'book-seat-000001' });
    expect(booked.status).toBe(200);
    expect(booked.body).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(booked.body.entry[0].resource).toMatchObject({ status: 'booked' });
    expect(booked.headers.etag).toMatch(/^"\d+"$/);
    const again = await op('book', body, { key: 'book-seat-000001' });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.entry[0].fullUrl).toBe(booked.body.entry[0].fullUrl);
    const team = await fx.teamState(openTeam);
    const reserved = team.events.filter(
      (e) => e.type === 'SeatReserved' && (e.data as { courseId: string }).courseId === eligible.courseId,
    );
    expect(reserved).toHaveLength(1);
    expect(reserved[0].metadata).toMatchObject({
      actor: { staffId: 'his-1', roles: ['integration'] },
      reason: 'Booked from the hospital’s booking screen',
      idempotencyKey: 'book-seat-000001',
    });
    // a second booking with another key: the same refusal as the REST API (the course already has the seat)
    const twice = await op('book', body, { key: 'book-seat-000002' });
    expect(twice.status).toBe(409);
    expect(twice.body.issue[0].details.coding[0].code).toBe('ALREADY_ON_TEAM');
    // the booked Appointment (the team's first session) reads back with the patient among its participants
    await caughtUp(t);
    const url: string = booked.body.entry[0].fullUrl;
    const read = await request(t.server)
      .get(url.slice(url.indexOf('/fhir/')))
      .set('Authorization', `Bearer ${await t.token(['integration'], 'his-1')}`);
    expect(read.status).toBe(200);
    const session = JSON.parse(read.text);
    expect(fhirProblems(session)).toEqual([]);
    expect(session.participant.map((p: { actor: { reference: string } }) => p.actor.reference)).toContain(`Patient/${eligible.patientId}`);
  });

  it('$find proposes free times of an intervention; $hold keeps one from others for settings.holdMinutes; $book completes the hold', async () => {
    const window = [
      { name: 'start', valueDateTime: day.set({ hour: 8 }).toISO() },
      { name: 'end', valueDateTime: day.set({ hour: 10 }).toISO() },
      { name: 'service-type', valueCoding: { system: 'urn:group-course-scheduler:intervention', code: 'KORT_PRIMAERSAMTALE' } },
      { name: 'practitioner', valueReference: { reference: 'Practitioner/doc-31' } },
      { name: 'location', valueReference: { reference: `Location/${roomId}` } },
    ];
    const found = await op('find', parameters(patientParam(eligible.patientId), ...window, { name: '_count', valuePositiveInt: 3 }));
    expect(found.status).toBe(200);
    const starts = found.body.entry.map((e: Entry) => e.resource.start);
    expect(starts).toEqual(
      [day.set({ hour: 8 }), day.set({ hour: 8, minute: 15 }), day.set({ hour: 8, minute: 30 })].map((d) => iso(d.toMillis())),
    );
    const first = found.body.entry[0].resource;
    expect(first).toMatchObject({ status: 'proposed', minutesDuration: 15 });
    await resolvesEveryReference(first);

    const held = await op('hold', parameters({ name: 'appt-resource', resource: first }), { key: 'hold-doc31-0001' });
    expect(held.status).toBe(200);
    const hold = held.body.entry[0].resource;
    expect(hold).toMatchObject({ status: 'pending', identifier: [{ system: 'urn:group-course-scheduler:hold' }] });
    const until = Date.parse(hold.comment.match(/Held until (\S+)/)[1]);
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    // another patient: the held time is not proposed, and the REST booking of it clashes
    const forOther = await op('find', parameters(patientParam(other.patientId), ...window, { name: '_count', valuePositiveInt: 3 }));
    expect(forOther.body.entry.map((e: Entry) => e.resource.start)).not.toContain(first.start);
    const secretary = await as(t, ['secretary'], 'sec-1');
    const clash = await secretary.post(`/courses/${other.courseId}/appointments`, {
      intervention: 'KORT_PRIMAERSAMTALE',
      start: first.start,
      clinicianIds: ['doc-31'],
    });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('SCHEDULE_CLASH');

    // the holder books it
    const booked = await op('book', parameters({ name: 'appt-resource', resource: hold }), { key: 'book-doc31-0001' });
    expect(booked.status).toBe(200);
    const appointmentId = (booked.body.entry[0].fullUrl as string).split('/Appointment/appointment.')[1];
    expect(appointmentId).toBe(hold.identifier[0].value);
    const course = await secretary.get(`/courses/${eligible.courseId}/appointments`).expect(200);
    expect(course.body.appointments).toEqual([
      expect.objectContaining({ appointmentId, status: 'booked', clinicianIds: ['doc-31'], roomId, start: first.start }),
    ]);
    await caughtUp(t);
    const url: string = booked.body.entry[0].fullUrl;
    const read = await request(t.server)
      .get(url.slice(url.indexOf('/fhir/')))
      .set('Authorization', `Bearer ${await t.token(['integration'], 'his-1')}`);
    expect(read.status).toBe(200);
    expect(fhirProblems(JSON.parse(read.text))).toEqual([]);
  });

  it('a lapsed hold frees the time: $find proposes it again and a booking clears it', async () => {
    const start = day.set({ hour: 14 });
    const end = start.plus({ minutes: 15 });
    // a hold that lapsed a minute ago (as $hold writes it, with its expiry in the past)
    await fx.store.execute(
      scheduleDecider,
      scheduleStreamId({ kind: 'clinician', id: 'doc-44' }),
      {
        type: 'ReserveSlot',
        now: iso(Date.now() - 20 * 60_000),
        timeZone: ZONE,
        appointmentId: '0b1e2d3c-4b5a-4968-8776-655443322110',
        kind: 'appointment',
        resource: { kind: 'clinician', id: 'doc-44' },
        start: iso(start.toMillis()),
        end: iso(end.toMillis()),
        courseId: interpreter.courseId,
        intervention: 'KORT_PRIMAERSAMTALE',
        clinicianIds: ['doc-44'],
        holdUntil: iso(Date.now() - 60_000),
      },
      { metadata: fx.metadata() },
    );
    const window = [
      { name: 'start', valueDateTime: start.toISO() },
      { name: 'end', valueDateTime: start.plus({ minutes: 1 }).toISO() },
      { name: 'service-type', valueCode: 'KORT_PRIMAERSAMTALE' },
      { name: 'practitioner', valueReference: { reference: 'Practitioner/doc-44' } },
    ];
    const found = await op('find', parameters(patientParam(other.patientId), ...window));
    expect(found.body.entry.map((e: Entry) => e.resource.start)).toEqual([iso(start.toMillis())]);
    const booked = await op('book', parameters({ name: 'appt-resource', resource: found.body.entry[0].resource }), {
      key: 'book-doc44-0001',
    });
    expect(booked.status).toBe(200);

    // a hold made five minutes ago that runs ten more still keeps the time (longer than an abandoned booking's two minutes)
    const later = day.set({ hour: 15 });
    await fx.store.execute(
      scheduleDecider,
      scheduleStreamId({ kind: 'clinician', id: 'doc-44' }),
      {
        type: 'ReserveSlot',
        now: iso(Date.now() - 5 * 60_000),
        timeZone: ZONE,
        appointmentId: '1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5',
        kind: 'appointment',
        resource: { kind: 'clinician', id: 'doc-44' },
        start: iso(later.toMillis()),
        end: iso(later.plus({ minutes: 15 }).toMillis()),
        courseId: interpreter.courseId,
        intervention: 'KORT_PRIMAERSAMTALE',
        clinicianIds: ['doc-44'],
        holdUntil: iso(Date.now() + 10 * 60_000),
      },
      { metadata: fx.metadata() },
    );
    const secretary = await as(t, ['secretary'], 'sec-1');
    const clash = await secretary.post(`/courses/${eligible.courseId}/appointments`, {
      intervention: 'KORT_PRIMAERSAMTALE',
      start: iso(later.toMillis()),
      clinicianIds: ['doc-44'],
    });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('SCHEDULE_CLASH');
  });

  it('roles, unknown parameters and malformed Parameters are OperationOutcomes', async () => {
    const body = parameters(patientParam(eligible.patientId));
    expect(
      (await op('book', parameters({ name: 'appt-resource', resource: { resourceType: 'Appointment' } }), { roles: ['auditor'] })).status,
    ).toBe(403);
    expect(
      (await op('book', parameters({ name: 'appt-resource', resource: { resourceType: 'Appointment' } }), { roles: ['clinician'] })).status,
    ).toBe(403);
    expect((await op('find', body, { roles: ['auditor'] })).status).toBe(403);
    const unknown = await op(
      'find',
      parameters(patientParam(eligible.patientId), { name: 'specialty', valueString: 'x' }, { name: 'visit-type', valueString: 'y' }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.issue[0].details.text).toMatch(/specialty, visit-type/);
    expect((await op('find', { resourceType: 'Bundle', parameter: [] })).status).toBe(400);
    expect((await op('find', { ...body, extra: 1 })).status).toBe(400);
    expect((await op('find', parameters(patientParam('nobody-here')))).status).toBe(404);
    // a practitioner the clinic does not know
    const stranger = await op(
      'find',
      parameters(
        patientParam(eligible.patientId),
        { name: 'service-type', valueCode: 'KORT_PRIMAERSAMTALE' },
        { name: 'practitioner', valueReference: { reference: 'Practitioner/nobody-9' } },
      ),
    );
    expect(stranger.status).toBe(404);
    const elsewhere = await request(t.server)
      .post('/fhir/Appointment/$find')
      .set('Authorization', `Bearer ${await t.token(['integration'], 'his-2', 'another-clinic')}`)
      .send(parameters({ name: 'course', valueString: eligible.courseId }));
    expect(elsewhere.status).toBe(404);
    expect(JSON.parse(elsewhere.text).resourceType).toBe('OperationOutcome');
    // nothing for a patient no team will take; and a hold for that patient is refused with every failed criterion
    const proposal = (await op('find', parameters(patientParam(interpreter.patientId)))).body;
    expect(proposal.total).toBe(0);
    const seat = {
      resourceType: 'Appointment',
      status: 'proposed',
      slot: [{ reference: `Slot/${openTeam}.S1` }],
      participant: [{ actor: { reference: `Patient/${interpreter.patientId}` }, status: 'needs-action' }],
    };
    const hold = await op('hold', parameters({ name: 'appt-resource', resource: seat }));
    expect(hold.status).toBe(422);
    expect(hold.body.issue[0].details.coding[0].code).toBe('NOT_ELIGIBLE');
    expect(hold.body.issue.slice(1).map((i: { details: { coding: Array<{ code: string }> } }) => i.details.coding[0].code)).toContain(
      'FS_NEEDS_INTERPRETER',
    );
  });

  it('$hold keeps a team seat for the course (others get TEAM_FULL); $book takes it; a lapsed hold frees the seat', async () => {
    const [h1, h2, h3] = [await courseOf(await fx.course()), await courseOf(await fx.course()), await courseOf(await fx.course())];
    const oneSeat = await fx.planTeam({ startsInDays: 25, seats: 1 });
    await caughtUp(t);
    const seatFor = (patientId: string, teamId: string) => ({
      resourceType: 'Appointment',
      status: 'proposed',
      slot: [{ reference: `Slot/${teamId}.S1` }],
      participant: [{ actor: { reference: `Patient/${patientId}` }, required: 'required', status: 'needs-action' }],
    });
    const found = await op('find', parameters(patientParam(h1.patientId), { name: 'service-type', valueCode: 'FORSTAA_SMERTE' }));
    const proposal = found.body.entry.find((e: Entry) => e.resource.slot[0].reference.includes(oneSeat)).resource;
    const held = await op('hold', parameters({ name: 'appt-resource', resource: proposal }), { key: 'hold-seat-00001' });
    expect(held.status).toBe(200);
    expect(held.body.entry[0].resource).toMatchObject({ status: 'pending' });
    expect(held.headers.etag).toMatch(/^"\d+"$/);
    const until = Date.parse(held.body.entry[0].resource.comment.match(/Held until (\S+?)\s/)[1]);
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    const team = await fx.teamState(oneSeat);
    expect(team.events.at(-1)).toMatchObject({
      type: 'SeatHeld',
      data: { courseId: h1.courseId },
      metadata: { actor: { staffId: 'his-1', roles: ['integration'] } },
    });
    // everyone else: TEAM_FULL through the REST API, and $find no longer proposes the team
    const secretaryToken = await t.token(['secretary'], 'sec-1');
    const full = await fx.enrol(secretaryToken, h2.courseId, { teamId: oneSeat });
    expect([full.status, full.body.code]).toEqual([409, 'TEAM_FULL']);
    await caughtUp(t);
    const forH2 = await op('find', parameters(patientParam(h2.patientId), { name: 'service-type', valueCode: 'FORSTAA_SMERTE' }));
    expect(forH2.body.entry.map((e: Entry) => e.resource.slot[0].reference)).not.toContain(`Slot/${oneSeat}.S1`);
    // the holder books it
    const booked = await op('book', parameters({ name: 'appt-resource', resource: seatFor(h1.patientId, oneSeat) }), {
      key: 'book-held-seat-1',
    });
    expect(booked.status).toBe(200);
    const after = await fx.teamState(oneSeat);
    expect(after.state.seats.map((s) => s.courseId)).toEqual([h1.courseId]);
    expect(after.state.holds).toEqual([]);

    // a hold that runs out: the offer sweeper lapses it and the seat is free again
    const other1 = await fx.planTeam({ startsInDays: 26, seats: 1 });
    expect(
      (await op('hold', parameters({ name: 'appt-resource', resource: seatFor(h2.patientId, other1) }), { key: 'hold-seat-00002' })).status,
    ).toBe(200);
    expect((await fx.enrol(secretaryToken, h3.courseId, { teamId: other1 })).status).toBe(409);
    await caughtUp(t);
    await fx.sweeper.sweep(new Date(Date.now() + 16 * 60_000).toISOString());
    expect((await fx.teamState(other1)).events.at(-1)).toMatchObject({ type: 'SeatHoldLapsed', data: { courseId: h2.courseId } });
    expect((await fx.enrol(secretaryToken, h3.courseId, { teamId: other1 })).status).toBe(201);
  });
});
