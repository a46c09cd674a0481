import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { addDaysToLocalDate, defaultCatalogue, formatInZone, localToInstant, toMillis } from '#app/domain';
import type { EventStore } from '#app/event-store';
import { ApiClient, inPool, type ApiAnswer } from './http.js';
import { teamServiceImportRows } from './history.js';
import {
  CLINICIAN_KINDS,
  FLOW,
  HORIZON_WEEKS,
  PROGRAMME_POOL,
  ROOMS,
  SCALE_1,
  TIME_ZONE,
  programmeSeats,
  staffRoles,
  teamsPerProgramme,
  type Pool,
} from './plan.js';
import { random, syntheticCpr, type Random } from './random.js';

export interface WorkloadProgress {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly requests: number;
  readonly elapsedMs: number;
}

export interface WorkloadOptions {
  readonly seed: number;
  /** 1 = a centre-year (~2,000 referrals, 250 teams, 60 clinicians); 10 and 100 multiply everything */
  readonly scale?: number;
  /** a running API on loopback, e.g. http://127.0.0.1:3000 … */
  readonly baseUrl?: string;
  /** … or the Nest app itself (listening on an ephemeral loopback port if it is not yet listening) */
  readonly app?: INestApplication;
  /**
   * The event store the API writes to, for the one thing the API cannot create: clinicians' Forstå smerte
   * team service from before the API (needed to qualify anyone as primary). Default: the app's.
   */
  readonly eventStore?: EventStore;
  /** requests in flight at most (default 8) */
  readonly concurrency?: number;
  /** prefix of every Idempotency-Key (default derived from seed and the clock; fix it to make a rerun replay) */
  readonly runId?: string;
  readonly jwtSecret?: string;
  /** how long before today's sessions start (they get attendance and no-shows at the end); default 60 s + 30 s × scale */
  readonly todayLeadSeconds?: number;
  /** give up waiting for today's sessions to start after this long (default 5 minutes) */
  readonly maxWaitForSessionsMs?: number;
  readonly onProgress?: (progress: WorkloadProgress) => void;
}

export type Counts = Record<string, number>;

export interface WorkloadResult {
  readonly seed: number;
  readonly scale: number;
  readonly runId: string;
  readonly durationMs: number;
  readonly requests: number;
  /** what was created, by kind */
  readonly created: Counts;
  /** refusals the workload expects (a full team, a closed team, …), by code */
  readonly refused: Counts;
  /** answers the workload did not expect, by "METHOD route → status code"; should stay small */
  readonly unexpected: Counts;
  readonly phases: ReadonlyArray<{ readonly phase: string; readonly ms: number; readonly requests: number }>;
  readonly teamsByProgramme: Counts;
}

type Role = 'secretary' | 'clinician' | 'admin';

interface Team {
  readonly teamId: string;
  readonly programme: string;
  readonly capacity: number;
  /** estimate kept by the workload; the team stream is the truth */
  taken: number;
  readonly firstMs: number;
  readonly firstAt: string;
  readonly lastEndAt: string;
  readonly lastEndMs: number;
  readonly today: boolean;
  readonly therapists: string[];
}

interface Course {
  readonly courseId: string;
  readonly n: number;
  readonly rng: Random;
  /** programme → team holding the course's seat */
  readonly seats: Map<string, string>;
  ended: boolean;
}

const DAY = 86_400_000;
const iso = (ms: number) => formatInZone(ms, TIME_ZONE);
const localDate = (ms: number) => iso(ms).slice(0, 10);
const pathway = defaultCatalogue.pathway;
const FULL_CONTENT = Object.fromEntries(pathway.referral.requiredContent.map((i) => [i.code, `${i.label}: noted by the GP`]));
const ALL_MET = Object.fromEntries(pathway.referral.criteriaSet.criteria.map((c) => [c.code, true]));

/**
 * Generates a realistic centre-year through the API's real command path (HTTP on loopback): rooms,
 * clinicians with dated competences (and, written to the event store, their Forstå smerte history from
 * before the API), 250 teams across the programmes staffed by qualified therapists, ~2,000 referrals
 * through visitation, patient facts, Kort primærsamtale, microteam, step bookings and enrolments, then
 * cancellations with waitlist offers, rebookings, drop-outs, and attendance with no-shows on the
 * sessions that start today. Deterministic for a seed (the order of concurrent requests aside).
 */
export async function generateWorkload(options: WorkloadOptions): Promise<WorkloadResult> {
  const run = new WorkloadRun(options);
  return run.run();
}

class WorkloadRun {
  private readonly scale: number;
  private readonly rng: Random;
  private readonly runId: string;
  private readonly concurrency: number;
  private client!: ApiClient;
  private eventStore: EventStore | undefined;
  private readonly created: Counts = {};
  private readonly refused: Counts = {};
  private readonly unexpected: Counts = {};
  private readonly phases: Array<{ phase: string; ms: number; requests: number }> = [];
  private readonly startedAt = Date.now();
  private keyCounter = 0;

  private readonly rooms: Array<{ roomId: string; seats: number }> = [];
  private readonly roomCursor = new Map<number, number>();
  private readonly pools = new Map<Pool, string[]>();
  private readonly poolCursor = new Map<Pool, number>();
  private readonly teams: Team[] = [];
  private readonly teamsById = new Map<string, Team>();
  private readonly courses: Course[] = [];
  private readonly secretaries: string[] = [];
  private readonly offers: Array<{ teamId: string; courseId: string }> = [];

  constructor(private readonly options: WorkloadOptions) {
    this.scale = options.scale ?? 1;
    if (!(this.scale > 0)) throw new Error('scale must be positive');
    this.rng = random(options.seed);
    this.runId = options.runId ?? `wl${options.seed}-${Date.now().toString(36)}`;
    this.concurrency = options.concurrency ?? 8;
  }

  async run(): Promise<WorkloadResult> {
    const baseUrl = await this.resolveBaseUrl();
    this.client = new ApiClient({ baseUrl, jwtSecret: this.options.jwtSecret, retryForMs: 30_000 });
    for (let i = 1; i <= Math.max(1, Math.round(SCALE_1.secretaries * this.scale)); i++) this.secretaries.push(`SEK-${pad(i, 3)}`);

    await this.phase('rooms', () => this.planRooms());
    await this.phase('clinicians', () => this.registerClinicians());
    const todayAt = this.todayStart();
    await this.phase('teams starting today', () => this.planTeams(todayAt, true));
    await this.phase("patients of today's teams", () => this.todayCohort());
    await this.phase('teams', () => this.planTeams(todayAt, false));
    await this.phase('courses', () => this.mainCohort());
    await this.phase('cancellations', () => this.cancellations());
    await this.phase('offers', () => this.answerOffers());
    await this.phase('rebookings', () => this.rebookings());
    await this.phase('drop-outs', () => this.dropOuts());
    await this.phase('attendance', () => this.attendance());

    return {
      seed: this.options.seed,
      scale: this.scale,
      runId: this.runId,
      durationMs: Date.now() - this.startedAt,
      requests: this.client.sent,
      created: sorted(this.created),
      refused: sorted(this.refused),
      unexpected: sorted(this.unexpected),
      phases: this.phases,
      teamsByProgramme: sorted(this.teams.reduce<Counts>((c, t) => ((c[t.programme] = (c[t.programme] ?? 0) + 1), c), {})),
    };
  }

  // ------------------------------------------------------------------ plumbing

  private async resolveBaseUrl(): Promise<string> {
    if (this.options.baseUrl) {
      this.eventStore = this.options.eventStore;
      return this.options.baseUrl;
    }
    const app = this.options.app;
    if (!app) throw new Error('Give baseUrl (a running API on loopback) or app.');
    const { EVENT_STORE } = await import('../apps/api/src/platform/persistence/tokens.js');
    this.eventStore = this.options.eventStore ?? app.get<EventStore>(EVENT_STORE);
    const server = app.getHttpServer() as Server;
    let address = server.address() as { port: number } | null;
    if (!address) {
      await app.listen(0, '127.0.0.1');
      address = server.address() as { port: number };
    }
    return `http://127.0.0.1:${address.port}`;
  }

  private async phase(name: string, work: () => Promise<void>): Promise<void> {
    const started = Date.now();
    const sent = this.client.sent;
    await work();
    this.phases.push({ phase: name, ms: Date.now() - started, requests: this.client.sent - sent });
  }

  private progress(phase: string, done: number, total: number): void {
    if (this.options.onProgress && (done === total || done % 50 === 0)) {
      this.options.onProgress({ phase, done, total, requests: this.client.sent, elapsedMs: Date.now() - this.startedAt });
    }
  }

  private count(what: string, n = 1): void {
    this.created[what] = (this.created[what] ?? 0) + n;
  }

  /** a fresh Idempotency-Key (8–128 of A-Z a-z 0-9 . _ : -) */
  private key(): string {
    return `${this.runId}:${++this.keyCounter}`;
  }

  private secretary(rng: Random): { role: Role; sub: string } {
    return { role: 'secretary', sub: rng.pick(this.secretaries) };
  }

  private clinician(sub: string): { role: Role; sub: string } {
    return { role: 'clinician', sub };
  }

  /**
   * A write with a fresh Idempotency-Key (retried with it on network errors and 5xx). Returns the answer
   * when its status is one of `ok`; a refusal listed in `expected` is counted under its code; anything else
   * is counted as unexpected. Either way the caller gets the answer.
   */
  private async write(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    as: { role: Role; sub: string },
    ok: readonly number[],
    expected: readonly string[] = [],
  ): Promise<ApiAnswer> {
    const answer = await this.client.send(method, path, body, { as, key: this.key() });
    if (!ok.includes(answer.status)) {
      const code = (answer.body as { code?: string } | undefined)?.code ?? String(answer.status);
      if (expected.includes(code)) this.refused[code] = (this.refused[code] ?? 0) + 1;
      else {
        const label = `${method} ${route(path)} → ${answer.status} ${code}`;
        this.unexpected[label] = (this.unexpected[label] ?? 0) + 1;
      }
    }
    return answer;
  }

  private async mustWrite(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    as: { role: Role; sub: string },
    ok: readonly number[],
  ): Promise<ApiAnswer> {
    const answer = await this.write(method, path, body, as, ok);
    if (!ok.includes(answer.status))
      throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
    return answer;
  }

  private next(pool: Pool): string {
    const members = this.pools.get(pool) ?? [];
    if (members.length === 0) throw new Error(`No clinician in pool ${pool}`);
    const i = this.poolCursor.get(pool) ?? 0;
    this.poolCursor.set(pool, i + 1);
    return members[i % members.length];
  }

  // ------------------------------------------------------------------ setup: rooms, clinicians, teams

  private async planRooms(): Promise<void> {
    const rooms = Array.from({ length: Math.max(1, Math.round(this.scale)) }, (_, copy) =>
      ROOMS.map((r) => ({ ...r, name: copy === 0 ? r.name : `${r.name} (${copy + 1})` })),
    ).flat();
    const admin = { role: 'secretary' as Role, sub: this.secretaries[0] };
    await inPool(rooms, this.concurrency, async (room) => {
      const answer = await this.mustWrite(
        'POST',
        '/rooms',
        { name: room.name, seats: room.seats, reason: 'workload: the centre’s rooms' },
        admin,
        [201],
      );
      this.rooms.push({ roomId: (answer.body as { roomId: string }).roomId, seats: room.seats });
      this.count('rooms');
    });
    this.rooms.sort((a, b) => a.seats - b.seats || (a.roomId < b.roomId ? -1 : 1));
  }

  private async registerClinicians(): Promise<void> {
    const total = Math.round(SCALE_1.clinicians * this.scale);
    const perKind = CLINICIAN_KINDS.map((k) => ({ kind: k, n: Math.max(1, Math.round((k.count / SCALE_1.clinicians) * total)) }));
    const specs = perKind.flatMap(({ kind, n }) => Array.from({ length: n }, (_, i) => ({ kind, id: `${kind.prefix}-${pad(i + 1, 4)}` })));
    const today = localDate(Date.now());
    const retreat = addDaysToLocalDate(today, -3);
    const admin = { role: 'secretary' as Role, sub: this.secretaries[0] };
    const withHistory: string[] = [];
    let done = 0;
    await inPool(specs, this.concurrency, async ({ kind, id }) => {
      const rng = this.rng.fork(`clinician/${id}`);
      const employmentStart = `${rng.int(2008, 2020)}-${pad(rng.int(1, 12), 2)}-01`;
      await this.mustWrite(
        'POST',
        '/clinicians',
        { clinicianId: id, professions: kind.professions, employmentStart, reason: 'workload: staff of the centre' },
        admin,
        [201],
      );
      this.count('clinicians');
      for (const competence of kind.competences) {
        const grantedAt = competence === 'MBSR_RETREAT' ? retreat : `${rng.int(2016, 2022)}-0${rng.int(1, 9)}-15`;
        await this.mustWrite(
          'POST',
          `/clinicians/${id}/competences`,
          { competence, grantedAt, reason: 'Certificate seen by the head of the centre' },
          admin,
          [201],
        );
        this.count('competences');
      }
      for (const pool of kind.pools) this.pools.set(pool, [...(this.pools.get(pool) ?? []), id]);
      if (kind.fsHistory) withHistory.push(id);
      this.progress('clinicians', ++done, specs.length);
    });
    for (const members of this.pools.values()) members.sort();
    // the centre's past (earlier Forstå smerte teams, from paper) through the go-live import, in batches of 250 rows
    const rows = teamServiceImportRows(withHistory.sort());
    for (let i = 0; i < rows.length; i += 250) {
      const answer = await this.mustWrite(
        'POST',
        '/imports/clinician-history',
        { source: 'workload: team lists from before the API (paper records)', rows: rows.slice(i, i + 250) },
        { role: 'admin', sub: 'workload-admin' },
        [200, 201],
      );
      this.count('historyEvents', (answer.body as { recorded: number }).recorded);
    }
  }

  /** today's sessions start at the next whole minute `todayLeadSeconds` from now (local time) */
  private todayStart(): number {
    const lead = (this.options.todayLeadSeconds ?? Math.min(600, 60 + 30 * this.scale)) * 1000;
    return Math.ceil((Date.now() + lead) / 60_000) * 60_000;
  }

  private async planTeams(todayAt: number, today: boolean): Promise<void> {
    const counts = teamsPerProgramme(Math.max(1, Math.round(SCALE_1.teams * this.scale)));
    const todayPerProgramme: Record<string, number> = {
      FORSTAA_SMERTE: Math.max(1, Math.round(2 * this.scale)),
      LIVET_MED_SMERTER: Math.max(1, Math.round(this.scale)),
      NEDTRAPNING: Math.max(1, Math.round(this.scale)),
    };
    const plans: Array<{ programme: string; startsOn: string; startTime: string; today: boolean }> = [];
    const todayDate = localDate(todayAt);
    const todayTime = iso(todayAt).slice(11, 16);
    const firstWeek = this.mondayAfter(Date.now());
    for (const [programme, n] of Object.entries(counts)) {
      const today = Math.min(n, todayPerProgramme[programme] ?? 0);
      for (let k = 0; k < today; k++) plans.push({ programme, startsOn: todayDate, startTime: todayTime, today: true });
      const rest = n - today;
      const weeks = HORIZON_WEEKS[programme] ?? 46;
      for (let k = 0; k < rest; k++) {
        const week = Math.floor((k * weeks) / rest);
        const weekday = (k * 3 + programme.length) % 5;
        plans.push({
          programme,
          startsOn: addDaysToLocalDate(firstWeek, week * 7 + weekday),
          startTime: k % 2 === 0 ? '09:00' : '13:00',
          today: false,
        });
      }
    }
    // today's teams first: their patients must be booked before they start
    const selected = plans.filter((p) => p.today === today);

    let done = 0;
    await inPool(selected, this.concurrency, async (plan, index) => {
      const rng = this.rng.fork(`team/${plan.today ? 'today' : 'later'}/${index}`);
      const seats = programmeSeats(plan.programme);
      const fitting = this.rooms.filter((r) => r.seats >= seats);
      const candidates = fitting.length > 0 ? fitting : this.rooms.slice(-1);
      const c = this.roomCursor.get(seats) ?? 0;
      this.roomCursor.set(seats, c + 1);
      const admin = this.secretary(rng);
      // a room taken at those times (409 SCHEDULE_CLASH) sends the secretary to the next fitting room
      let answer: ApiAnswer | undefined;
      for (let r = 0; r < candidates.length; r++) {
        const room = candidates[(c + r) % candidates.length];
        answer = await this.write(
          'POST',
          '/teams',
          {
            programmeCode: plan.programme,
            roomId: room.roomId,
            startsOn: plan.startsOn,
            startTime: plan.startTime,
            reason: 'workload: the year’s teams',
          },
          admin,
          [201],
          ['TEAM_START_IN_PAST', 'SCHEDULE_CLASH'],
        );
        if ((answer.body as { code?: string }).code !== 'SCHEDULE_CLASH') break;
      }
      if (!answer || answer.status !== 201) return;
      const body = answer.body as { teamId: string; seats: { capacity: number }; sessions: Array<{ startsAt: string; endsAt: string }> };
      const last = body.sessions[body.sessions.length - 1];
      const team: Team = {
        teamId: body.teamId,
        programme: plan.programme,
        capacity: body.seats.capacity,
        taken: 0,
        firstAt: body.sessions[0].startsAt,
        firstMs: toMillis(body.sessions[0].startsAt),
        lastEndAt: last.endsAt,
        lastEndMs: toMillis(last.endsAt),
        today: plan.today,
        therapists: [],
      };
      this.count('teams');
      for (const { role, count } of staffRoles(plan.programme)) {
        for (let i = 0; i < count; i++) {
          const pool = PROGRAMME_POOL[plan.programme];
          // two different people in a role of two, and not the same person in two roles
          // a therapist busy at one of the sessions (409 SCHEDULE_CLASH) is passed over for the next in the pool
          for (let attempt = 0; attempt < 4; attempt++) {
            let clinicianId = this.next(pool);
            for (let tries = 0; team.therapists.includes(clinicianId) && tries < 5; tries++) clinicianId = this.next(pool);
            const assigned = await this.write(
              'POST',
              `/teams/${team.teamId}/therapists`,
              { clinicianId, role },
              admin,
              [201],
              ['COMPETENCE_MISSING', 'ALREADY_ASSIGNED', 'SCHEDULE_CLASH'],
            );
            if (assigned.status === 201) {
              team.therapists.push(clinicianId);
              this.count('therapistAssignments');
            }
            if ((assigned.body as { code?: string }).code !== 'SCHEDULE_CLASH') break;
          }
        }
      }
      if (rng.chance(0.3)) {
        const apprentice = this.next('FS');
        if (!team.therapists.includes(apprentice)) {
          const a = await this.write(
            'POST',
            `/teams/${team.teamId}/therapists`,
            { clinicianId: apprentice, role: 'apprentice', reason: 'Shadows the team (føl)' },
            admin,
            [201],
            ['ALREADY_ASSIGNED', 'SCHEDULE_CLASH'],
          );
          if (a.status === 201) this.count('apprenticeAssignments');
        }
      }
      this.teams.push(team);
      this.teamsById.set(team.teamId, team);
      this.progress('teams', ++done, selected.length);
    });
    this.teams.sort((a, b) => a.firstMs - b.firstMs || (a.teamId < b.teamId ? -1 : 1));
  }

  private mondayAfter(ms: number): string {
    const date = localDate(ms + 7 * DAY);
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay(); // 0 = Sunday
    return addDaysToLocalDate(date, (8 - weekday) % 7);
  }

  // ------------------------------------------------------------------ courses

  /** POST /referrals (+ supplement when on hold) and paper visitation; the course when accepted */
  private async referral(
    n: number,
    rng: Random,
    receivedMs: number,
    options: { onHold?: boolean; reject?: boolean } = {},
  ): Promise<Course | undefined> {
    const as = this.secretary(rng);
    const missing = options.onHold
      ? pathway.referral.requiredContent
          .slice(rng.int(0, 5), undefined)
          .slice(0, rng.int(1, 2))
          .map((i) => i.code)
      : [];
    const content = Object.fromEntries(Object.entries(FULL_CONTENT).filter(([k]) => !missing.includes(k)));
    const referrer = {
      kind: rng.pick(['GP', 'GP', 'GP', 'HOSPITAL'] as const),
      id: `GP-${String(rng.int(10000, 99999))}`,
      name: `Lægehuset ${rng.pick(['Vestergade', 'Torvet', 'Åparken', 'Strandvejen', 'Bakken'])}`,
    };
    const created = await this.write(
      'POST',
      '/referrals',
      { cpr: syntheticCpr(n), receivedAt: iso(receivedMs), referrer, content },
      as,
      [201],
    );
    if (created.status !== 201) return undefined;
    const body = created.body as { courseId: string; status: string };
    this.count('referrals');
    const course: Course = { courseId: body.courseId, n, rng, seats: new Map(), ended: false };
    if (missing.length > 0) {
      this.count('referralsOnHold');
      const supplement = Object.fromEntries(missing.map((k) => [k, FULL_CONTENT[k]]));
      const s = await this.write(
        'POST',
        `/courses/${course.courseId}/referral`,
        { content: supplement, reason: 'The GP answered by phone' },
        as,
        [200],
      );
      if (s.status === 200) this.count('referralsSupplemented');
    }
    const doctor = this.clinician(this.next('PAL'));
    if (options.reject) {
      const assessment = { ...ALL_MET, [rng.pick(Object.keys(ALL_MET))]: false };
      const r = await this.write(
        'POST',
        `/courses/${course.courseId}/visitation`,
        {
          decision: 'reject',
          assessment,
          reason: 'Not yet diagnostically clarified or finished in the relevant specialties.',
          planForGp: 'Re-refer when the work-up is finished.',
        },
        doctor,
        [200],
      );
      if (r.status === 200) this.count('visitationsRejected');
      return undefined;
    }
    const v = await this.write(
      'POST',
      `/courses/${course.courseId}/visitation`,
      { decision: 'accept', assessment: ALL_MET },
      doctor,
      [200],
    );
    if (v.status !== 200) return undefined;
    this.count('visitationsAccepted');
    this.courses.push(course);
    return course;
  }

  private async facts(
    course: Course,
    facts: Array<{ fact: string; key?: string; value: boolean | string }>,
    basis: Record<string, string>,
  ): Promise<void> {
    const nurse = this.clinician(this.next('CONTACT_NURSE'));
    const answer = await this.write(
      'PUT',
      `/courses/${course.courseId}/criteria`,
      { facts: facts.map((f) => ({ ...f, basis })), reason: 'Recorded from the referral and the first talk' },
      nurse,
      [200],
    );
    if (answer.status === 200) this.count('factsRecorded', facts.length);
  }

  private baseFacts(rng: Random): {
    facts: Array<{ fact: string; key?: string; value: boolean | string }>;
    opioid: boolean;
    sick: boolean;
    interpreter: boolean;
  } {
    const interpreter = rng.chance(FLOW.needsInterpreter);
    const opioid = rng.chance(FLOW.opioid);
    const sick = rng.chance(FLOW.sickListed);
    const facts = [
      { fact: 'needsInterpreter', value: interpreter },
      { fact: 'followsDanishNuances', value: !interpreter },
      { fact: 'severePsychopathology', value: false },
      { fact: 'ongoingMedicationTrial', value: false },
      { fact: 'substanceAbuse', value: false },
      { fact: 'inOpioidTreatment', value: opioid },
      { fact: 'ptsdSymptoms', value: false },
      { fact: 'sickListed', value: sick },
      { fact: 'jobCentreProcess', value: sick },
      { fact: 'willingToChangePainHandling', value: true },
      { fact: 'motivatedFor', key: 'LIVET_MED_SMERTER', value: true },
      ...(opioid ? [{ fact: 'motivatedFor', key: 'NEDTRAPNING', value: true }] : []),
    ];
    return { facts, opioid, sick, interpreter };
  }

  private async step(
    course: Course,
    action: 'schedule' | 'complete' | 'skip',
    stepCode: string,
    body: Record<string, unknown>,
    as: { role: Role; sub: string },
    expected: string[] = [],
  ): Promise<boolean> {
    let answer = await this.write(
      'POST',
      `/courses/${course.courseId}/steps/${stepCode}/${action}`,
      body,
      as,
      [200],
      action === 'schedule' ? [...expected, 'SCHEDULE_CLASH'] : expected,
    );
    // the microteam is busy then (409 SCHEDULE_CLASH): the secretary offers the next free time, later that day or on a later day
    const HOUR = 3_600_000;
    for (const shift of [HOUR, 2 * HOUR, 3 * HOUR, DAY, DAY + 2 * HOUR, 2 * DAY, 3 * DAY, 7 * DAY]) {
      if (action !== 'schedule' || (answer.body as { code?: string }).code !== 'SCHEDULE_CLASH' || typeof body.at !== 'string') break;
      const moved = {
        ...body,
        at: iso(toMillis(body.at) + shift),
        ...(typeof body.endsAt === 'string' ? { endsAt: iso(toMillis(body.endsAt) + shift) } : {}),
      };
      answer = await this.write(
        'POST',
        `/courses/${course.courseId}/steps/${stepCode}/${action}`,
        moved,
        as,
        [200],
        [...expected, 'SCHEDULE_CLASH'],
      );
    }
    if (answer.status === 200)
      this.count(action === 'schedule' ? 'stepsScheduled' : action === 'complete' ? 'stepsCompleted' : 'stepsSkipped');
    return answer.status === 200;
  }

  /**
   * Enrols on the earliest team of the programme starting at or after `notBeforeMs` that (by the
   * workload's own count) has a free seat; on TEAM_FULL the next one; when none has a seat, joins the
   * waitlist of the earliest one. Returns the team when a seat was reserved.
   */
  private async enrol(
    course: Course,
    programme: string,
    notBeforeMs: number,
    options: { today?: boolean; waitlist?: boolean } = {},
  ): Promise<Team | undefined> {
    const candidates = this.teams.filter((t) => t.programme === programme && t.today === !!options.today && t.firstMs >= notBeforeMs);
    const as = this.secretary(course.rng);
    let tries = 0;
    for (const team of candidates) {
      if (team.taken >= team.capacity) continue;
      if (++tries > 4) break;
      team.taken++;
      const answer = await this.write(
        'POST',
        `/courses/${course.courseId}/enrolments`,
        { teamId: team.teamId, reason: 'Booked by phone with the patient' },
        as,
        [201],
        ['TEAM_FULL', 'WAITLIST_HAS_PRIORITY', 'TEAM_CLOSED_FOR_LATE_JOINERS', 'NOT_ELIGIBLE'],
      );
      if (answer.status === 201) {
        course.seats.set(programme, team.teamId);
        this.count(`enrolments.${programme}`);
        return team;
      }
      const code = (answer.body as { code?: string }).code;
      if (code === 'TEAM_FULL' || code === 'WAITLIST_HAS_PRIORITY') team.taken = team.capacity;
      else {
        team.taken--;
        if (code !== 'TEAM_CLOSED_FOR_LATE_JOINERS') return undefined;
      }
    }
    if (options.waitlist === false) return undefined;
    const first = candidates.find((t) => !t.today);
    if (!first) return undefined;
    const waiting = await this.write(
      'POST',
      `/courses/${course.courseId}/enrolments`,
      { teamId: first.teamId, joinWaitlistIfFull: true, reason: 'Wants the first free seat' },
      as,
      [201, 202],
      ['NOT_ELIGIBLE', 'TEAM_CLOSED_FOR_LATE_JOINERS'],
    );
    if (waiting.status === 202) this.count(`waitlisted.${programme}`);
    if (waiting.status === 201) {
      course.seats.set(programme, first.teamId);
      first.taken++;
      this.count(`enrolments.${programme}`);
      return first;
    }
    return undefined;
  }

  /** books the group step on the team; `expected`: refusals that are part of the story (see rebookings) */
  private async bookGroupStep(course: Course, stepCode: string, team: Team, expected: string[] = []): Promise<void> {
    const nurse = this.clinician(this.next('CONTACT_NURSE'));
    await this.step(
      course,
      'schedule',
      stepCode,
      { at: team.firstAt, endsAt: team.lastEndAt, teamId: team.teamId, deviationReason: 'First team with a free seat' },
      nurse,
      ['OUTSIDE_WINDOW', ...expected],
    );
  }

  private async microteam(course: Course): Promise<void> {
    const as = this.secretary(course.rng);
    for (const [role, pool] of [
      ['PAL', 'PAL'],
      ['CONTACT_NURSE', 'CONTACT_NURSE'],
    ] as const) {
      const a = await this.write(
        'POST',
        `/courses/${course.courseId}/microteam`,
        { clinicianId: this.next(pool), role, reason: 'Microteam formed' },
        as,
        [200],
      );
      if (a.status === 200) this.count('microteamMembers');
    }
  }

  /** patients whose sessions start today: booked first, before the late-join cut-off */
  private async todayCohort(): Promise<void> {
    const today = this.teams.filter((t) => t.today);
    const slots = today.flatMap((t) => Array.from({ length: Math.max(1, Math.floor(t.capacity * 0.9)) }, () => t));
    let done = 0;
    await inPool(slots, this.concurrency, async (team, i) => {
      const n = 900_000 + i + Math.round(this.options.seed % 1000) * 1000;
      const rng = this.rng.fork(`today/${i}`);
      const course = await this.referral(n, rng, Date.now() - rng.int(10, 40) * DAY);
      if (!course) return;
      const base = this.baseFacts(rng);
      const facts = base.facts.map((f) =>
        f.fact === 'needsInterpreter' ? { ...f, value: false } : f.fact === 'followsDanishNuances' ? { ...f, value: true } : f,
      );
      if (team.programme === 'NEDTRAPNING')
        facts.push({ fact: 'inOpioidTreatment', value: true }, { fact: 'motivatedFor', key: 'NEDTRAPNING', value: true });
      await this.facts(course, dedupe(facts), { source: 'REFERRAL' });
      if (team.programme === 'NEDTRAPNING') {
        const a = await this.write(
          'POST',
          `/courses/${course.courseId}/add-ons`,
          { stepCode: 'NEDTRAPNING', reason: 'In opioid treatment; motivated for tapering' },
          this.clinician(this.next('PAL')),
          [200],
        );
        if (a.status === 200) this.count('addOns');
      }
      team.taken++;
      const answer = await this.write(
        'POST',
        `/courses/${course.courseId}/enrolments`,
        { teamId: team.teamId, reason: 'Booked for today' },
        this.secretary(rng),
        [201],
        ['TEAM_FULL', 'TEAM_CLOSED_FOR_LATE_JOINERS'],
      );
      if (answer.status === 201) {
        course.seats.set(team.programme, team.teamId);
        this.count(`enrolments.${team.programme}`);
      } else team.taken--;
      this.progress('today', ++done, slots.length);
    });
  }

  private async mainCohort(): Promise<void> {
    const total = Math.round(SCALE_1.referrals * this.scale) - this.courses.length;
    const plans = Array.from({ length: Math.max(0, total) }, (_, i) => i);
    let done = 0;
    await inPool(plans, this.concurrency, async (i) => {
      const rng = this.rng.fork(`course/${i}`);
      if (rng.chance(FLOW.continuing)) await this.continuingCourse(i, rng);
      else await this.newCourse(i, rng);
      this.progress('courses', ++done, plans.length);
    });
  }

  /** a new referral through the standard course as far as it can be booked ahead (care-model §3 steps 1–7) */
  private async newCourse(i: number, rng: Random): Promise<void> {
    const receivedMs = Date.now() - rng.int(1, 56) * DAY - rng.int(0, 8 * 3600) * 1000;
    const course = await this.referral(i, rng, receivedMs, { onHold: rng.chance(FLOW.onHold), reject: rng.chance(FLOW.rejected) });
    if (!course) return;
    const base = this.baseFacts(rng);
    await this.facts(course, base.facts, { source: 'REFERRAL' });
    const doctor = this.clinician(this.next('PAL'));
    // Kort primærsamtale 1–3 weeks after the referral; done when that is in the past
    const kortMs = Math.max(receivedMs + rng.int(7, 21) * DAY, Date.now() - 40 * DAY);
    const kortAt = localToInstant(localDate(kortMs), rng.pick(['09:00', '10:30', '13:00', '14:30']), TIME_ZONE);
    await this.step(course, 'schedule', 'KORT_PRIMAERSAMTALE', { at: kortAt }, this.secretary(rng));
    const kortDone = toMillis(kortAt) + 15 * 60_000 < Date.now();
    if (kortDone) await this.step(course, 'complete', 'KORT_PRIMAERSAMTALE', { completedAt: iso(toMillis(kortAt) + 15 * 60_000) }, doctor);
    if (rng.chance(FLOW.excluded)) {
      const exclusion = rng.pick(pathway.exclusion.reasons);
      const e = await this.write(
        'POST',
        `/courses/${course.courseId}/end`,
        {
          reason: 'excluded',
          exclusionCode: exclusion.code,
          note: `Excluded at the first talk: ${exclusion.label}.`,
          planForGp: 'Back to the GP.',
        },
        doctor,
        [200],
      );
      if (e.status === 200) {
        course.ended = true;
        this.count('coursesExcluded');
      }
      return;
    }
    // Forstå smerte: the first team with a seat, at least a week after the first talk
    const fs = await this.enrol(course, 'FORSTAA_SMERTE', Math.max(Date.now() + 2 * DAY, toMillis(kortAt) + 7 * DAY));
    await this.microteam(course);
    if (!fs) return;
    await this.bookGroupStep(course, 'FORSTAA_SMERTE', fs);
    const nurse = this.clinician(this.next('CONTACT_NURSE'));
    const langMs = fs.lastEndMs + rng.int(7, 14) * DAY;
    const langAt = localToInstant(localDate(langMs), rng.pick(['08:30', '12:00']), TIME_ZONE);
    if (!(await this.step(course, 'schedule', 'LANG_PRIMAERSAMTALE', { at: langAt }, this.secretary(rng), ['OUTSIDE_WINDOW']))) return;
    const langEnd = toMillis(langAt) + 150 * 60_000;
    if (base.sick) {
      const a = await this.write(
        'POST',
        `/courses/${course.courseId}/add-ons`,
        { stepCode: 'SOCIAL_VISITATION', reason: 'Sick-listed; the job-centre process is unclear' },
        doctor,
        [200],
      );
      if (a.status === 200) {
        this.count('addOns');
        await this.step(course, 'schedule', 'SOCIAL_VISITATION', { at: iso(langEnd + 7 * DAY) }, nurse);
      }
    }
    if (rng.chance(FLOW.physio)) {
      const a = await this.write(
        'POST',
        `/courses/${course.courseId}/add-ons`,
        { stepCode: 'PHYSIO_VISITATION', reason: 'Movement-related pain behaviour' },
        doctor,
        [200],
      );
      if (a.status === 200) {
        this.count('addOns');
        await this.step(course, 'schedule', 'PHYSIO_VISITATION', { at: iso(langEnd + 3 * DAY) }, nurse);
      }
    }
    // an added tapering team comes before Livet med smerter in the pathway: LMS starts after it has ended
    let lmsNotBefore = langEnd + 3 * DAY;
    if (base.opioid) {
      const a = await this.write(
        'POST',
        `/courses/${course.courseId}/add-ons`,
        { stepCode: 'NEDTRAPNING', reason: 'In opioid treatment; motivated for tapering' },
        doctor,
        [200],
      );
      if (a.status === 200) {
        this.count('addOns');
        const ned = await this.enrol(course, 'NEDTRAPNING', langEnd + DAY, { waitlist: false });
        if (ned) {
          await this.bookGroupStep(course, 'NEDTRAPNING', ned);
          lmsNotBefore = Math.max(lmsNotBefore, ned.lastEndMs + DAY);
        } else {
          await this.step(
            course,
            'skip',
            'NEDTRAPNING',
            { reason: 'No tapering team with a free seat this year; tapering with the GP' },
            doctor,
          );
        }
      }
    }
    if (base.interpreter) return; // Livet med smerter needs the nuances of Danish
    const lms = await this.enrol(course, 'LIVET_MED_SMERTER', lmsNotBefore);
    if (!lms) return;
    await this.bookGroupStep(course, 'LIVET_MED_SMERTER', lms);
    const nf1 = lms.lastEndMs + rng.int(7, 14) * DAY;
    await this.step(
      course,
      'schedule',
      'NURSE_FOLLOWUP_1',
      { at: localToInstant(localDate(nf1), '11:00', TIME_ZONE) },
      this.secretary(rng),
      ['OUTSIDE_WINDOW'],
    );
  }

  /**
   * A course that was already past Forstå smerte and Livet med smerter (held before the system: skipped
   * with that reason) when the year starts: its first talks are recorded as done, the patient chooses
   * stress reduction at nurse follow-up 1, and is booked on Afspænding or MBSR, then maybe HA.
   */
  private async continuingCourse(i: number, rng: Random): Promise<void> {
    const receivedMs = Date.now() - rng.int(120, 300) * DAY;
    const course = await this.referral(i, rng, receivedMs);
    if (!course) return;
    const doctor = this.clinician(this.next('PAL'));
    const choice = rng.chance(0.5) ? 'AFSPAENDING' : 'MBSR';
    const ha = rng.chance(FLOW.ha);
    const base = this.baseFacts(rng);
    const facts = [
      ...base.facts.filter(
        (f) =>
          f.fact !== 'needsInterpreter' && f.fact !== 'followsDanishNuances' && f.fact !== 'sickListed' && f.fact !== 'jobCentreProcess',
      ),
      { fact: 'needsInterpreter', value: false },
      { fact: 'followsDanishNuances', value: true },
      { fact: 'motivatedFor', key: choice, value: true },
      { fact: 'sickListed', value: ha || base.sick },
      { fact: 'jobCentreProcess', value: ha || base.sick },
      ...(ha
        ? [
            { fact: 'motivatedFor', key: 'HA', value: true },
            { fact: 'willingToDoHomework', value: true },
            { fact: 'socialWorkerVisitationDone', value: true },
          ]
        : []),
    ];
    await this.facts(course, dedupe(facts), { source: 'CONSULTATION' });
    const kort = receivedMs + 10 * DAY;
    const lang = kort + rng.int(25, 40) * DAY;
    const nf1 = Math.min(lang + rng.int(50, 70) * DAY, Date.now() - DAY);
    const earlier = 'Held before the scheduling system was introduced (paper record)';
    if (!(await this.step(course, 'complete', 'KORT_PRIMAERSAMTALE', { completedAt: iso(kort) }, doctor))) return;
    await this.step(course, 'skip', 'FORSTAA_SMERTE', { reason: earlier }, doctor);
    await this.microteam(course);
    await this.step(course, 'complete', 'LANG_PRIMAERSAMTALE', { completedAt: iso(lang) }, doctor);
    await this.step(course, 'skip', 'LIVET_MED_SMERTER', { reason: earlier }, doctor);
    if (!(await this.step(course, 'complete', 'NURSE_FOLLOWUP_1', { completedAt: iso(nf1) }, this.clinician(this.next('CONTACT_NURSE')))))
      return;
    const chosen = await this.write(
      'POST',
      `/courses/${course.courseId}/choices/STRESS_REDUCTION`,
      { option: choice, reason: 'Chose at nurse follow-up 1' },
      this.secretary(rng),
      [200],
    );
    if (chosen.status !== 200) return;
    this.count('choices');
    const sr = await this.enrol(course, choice, Date.now() + DAY);
    if (!sr) return;
    await this.bookGroupStep(course, 'STRESS_REDUCTION', sr);
    if (!ha) return;
    const nf2 = sr.lastEndMs + rng.int(7, 14) * DAY;
    if (
      !(await this.step(
        course,
        'schedule',
        'NURSE_FOLLOWUP_2',
        { at: localToInstant(localDate(nf2), '10:00', TIME_ZONE) },
        this.secretary(rng),
        ['OUTSIDE_WINDOW'],
      ))
    )
      return;
    if (
      !(await this.step(
        course,
        'schedule',
        'CONFERENCE',
        { at: localToInstant(addDaysToLocalDate(localDate(nf2), 3), '12:30', TIME_ZONE) },
        this.secretary(rng),
      ))
    )
      return;
    const a = await this.write(
      'POST',
      `/courses/${course.courseId}/add-ons`,
      { stepCode: 'HA', reason: 'Sick-listed; needs a job-centre process' },
      doctor,
      [200],
    );
    if (a.status !== 200) return;
    this.count('addOns');
    const team = await this.enrol(course, 'HA', nf2 + 5 * DAY);
    if (team) await this.bookGroupStep(course, 'HA', team);
  }

  // ------------------------------------------------------------------ churn: cancellations, offers, rebookings, drop-outs

  private seatsHeld(filter: (programme: string) => boolean = () => true): Array<{ course: Course; programme: string; teamId: string }> {
    return this.courses.flatMap((course) =>
      course.ended
        ? []
        : [...course.seats].filter(([programme]) => filter(programme)).map(([programme, teamId]) => ({ course, programme, teamId })),
    );
  }

  private async cancellations(): Promise<void> {
    const rng = this.rng.fork('cancellations');
    const seats = this.seatsHeld().filter(({ teamId }) => !this.team(teamId)?.today && rng.chance(FLOW.cancelled));
    let done = 0;
    await inPool(seats, this.concurrency, async ({ course, programme, teamId }) => {
      const answer = await this.write(
        'DELETE',
        `/courses/${course.courseId}/enrolments/${teamId}`,
        { reason: rng.pick(['The patient cancelled by phone', 'Ill that week', 'Cannot get time off work']) },
        this.secretary(course.rng),
        [200],
        ['NOT_ENROLLED'],
      );
      if (answer.status === 200) {
        course.seats.delete(programme);
        const team = this.team(teamId);
        if (team) team.taken--;
        this.count('cancellations');
        for (const offer of (answer.body as { offers?: Array<{ courseId: string }> }).offers ?? [])
          this.offers.push({ teamId, courseId: offer.courseId });
      }
      this.progress('cancellations', ++done, seats.length);
    });
  }

  private async answerOffers(): Promise<void> {
    const rng = this.rng.fork('offers');
    const byId = new Map(this.courses.map((c) => [c.courseId, c]));
    await inPool(this.offers, this.concurrency, async ({ teamId, courseId }) => {
      const as = this.secretary(rng);
      if (rng.chance(FLOW.offerAccepted)) {
        const answer = await this.write(
          'POST',
          `/teams/${teamId}/offers/${courseId}/accept`,
          { reason: 'The patient confirmed by phone' },
          as,
          [200],
          ['NO_OFFER', 'OFFER_EXPIRED', 'NOT_ELIGIBLE'],
        );
        if (answer.status === 200) {
          this.count('offersAccepted');
          const team = this.team(teamId);
          const course = byId.get(courseId);
          if (team && course) {
            course.seats.set(team.programme, teamId);
            team.taken++;
            const step = team.programme === 'AFSPAENDING' || team.programme === 'MBSR' ? 'STRESS_REDUCTION' : team.programme;
            await this.bookGroupStep(course, step, team);
          }
        }
      } else {
        const answer = await this.write(
          'POST',
          `/teams/${teamId}/offers/${courseId}/decline`,
          { reason: 'The patient cannot come on that day' },
          as,
          [200],
          ['NO_OFFER', 'OFFER_EXPIRED'],
        );
        if (answer.status === 200) this.count('offersDeclined');
      }
    });
  }

  private async rebookings(): Promise<void> {
    const rng = this.rng.fork('rebookings');
    const seats = this.seatsHeld((p) => p === 'FORSTAA_SMERTE' || p === 'LIVET_MED_SMERTER' || p === 'NEDTRAPNING').filter(
      ({ teamId }) => !this.team(teamId)?.today && rng.chance(FLOW.rebooked),
    );
    let done = 0;
    await inPool(seats, this.concurrency, async ({ course, programme, teamId }) => {
      const from = this.team(teamId);
      if (!from) throw new Error(`Team ${teamId} is not in the workload.`);
      // half name a later team with a free seat (by the workload's count), half ask for the next one that fits
      const named = rng.chance(0.5)
        ? this.teams.find((t) => t.programme === programme && !t.today && t.firstMs > from.firstMs + 7 * DAY && t.taken < t.capacity)
        : undefined;
      const body = { fromTeamId: teamId, ...(named ? { toTeamId: named.teamId } : {}), reason: 'The patient is away that week' };
      const answer = await this.write(
        'POST',
        `/courses/${course.courseId}/rebook`,
        body,
        this.secretary(course.rng),
        [200],
        ['NO_TEAM_AVAILABLE', 'TEAM_FULL', 'WAITLIST_HAS_PRIORITY', 'NOT_ELIGIBLE', 'TEAM_CLOSED_FOR_LATE_JOINERS'],
      );
      if (answer.status === 200) {
        const to = this.team((answer.body as { toTeamId: string }).toTeamId);
        this.count('rebookings');
        if (to) {
          from.taken--;
          to.taken++;
          course.seats.set(programme, to.teamId);
          // "the next team" may start before the step's prerequisite has ended (e.g. Livet med smerter before
          // Lang primærsamtale): the rebook is allowed, booking the step on it is then refused
          await this.bookGroupStep(course, programme, to, ['STEP_BEFORE_PREREQUISITE']);
        }
      }
      this.progress('rebookings', ++done, seats.length);
    });
  }

  private async dropOuts(): Promise<void> {
    const rng = this.rng.fork('drop-outs');
    const leaving = this.courses.filter(
      (c) => !c.ended && c.seats.size > 0 && ![...c.seats.values()].some((t) => this.team(t)?.today) && rng.chance(FLOW.droppedOut),
    );
    await inPool(leaving, this.concurrency, async (course) => {
      const answer = await this.write(
        'POST',
        `/courses/${course.courseId}/end`,
        { reason: 'dropped_out', note: 'The patient withdrew by phone.' },
        this.secretary(course.rng),
        [200],
      );
      if (answer.status === 200) {
        course.ended = true;
        for (const teamId of course.seats.values()) {
          const team = this.team(teamId);
          if (team) team.taken--;
        }
        this.count('coursesDroppedOut');
      }
    });
  }

  /** waits for today's sessions to start, then records who came (no-shows included) */
  private async attendance(): Promise<void> {
    const today = this.teams.filter((t) => t.today);
    if (today.length === 0) return;
    const startMs = Math.max(...today.map((t) => t.firstMs));
    const wait = startMs - Date.now();
    const maxWait = this.options.maxWaitForSessionsMs ?? 5 * 60_000;
    if (wait > maxWait) {
      this.refused.SESSIONS_NOT_STARTED_IN_TIME = today.length;
      return;
    }
    if (wait > 0) {
      this.options.onProgress?.({
        phase: `attendance (waiting ${Math.ceil(wait / 1000)} s for today's sessions to start)`,
        done: 0,
        total: today.length,
        requests: this.client.sent,
        elapsedMs: Date.now() - this.startedAt,
      });
      await new Promise((resolve) => setTimeout(resolve, wait + 1000));
    }
    const rng = this.rng.fork('attendance');
    await inPool(today, this.concurrency, async (team) => {
      const got = await this.client.get(`/teams/${team.teamId}`, { as: this.secretary(rng) });
      if (got.status !== 200) return;
      const reserved = (got.body as { seats: { reserved: Array<{ courseId: string; relatives: number }> } }).seats.reserved;
      if (reserved.length === 0) return;
      const entries = reserved.map((s) => {
        const noShow = rng.chance(FLOW.noShow);
        return {
          courseId: s.courseId,
          status: noShow ? 'no_show' : 'attended',
          ...(team.programme === 'FORSTAA_SMERTE' && !noShow ? { relativesPresent: rng.chance(0.4) ? 1 : 0 } : {}),
        };
      });
      const therapist = this.clinician(team.therapists[0] ?? this.next('FS'));
      const answer = await this.write(
        'POST',
        `/teams/${team.teamId}/sessions/1/attendance`,
        { entries },
        therapist,
        [201],
        ['STAFF_RULE_NOT_MET', 'SESSION_NOT_STARTED'],
      );
      if (answer.status === 201) {
        this.count('attendanceRecords', entries.length);
        this.count('noShows', entries.filter((e) => e.status === 'no_show').length);
        this.count(
          'teamServiceRecorded',
          ((answer.body as { teamService?: Array<{ outcome: string }> }).teamService ?? []).filter((s) => s.outcome === 'recorded').length,
        );
      }
    });
  }

  private team(teamId: string): Team | undefined {
    return this.teamsById.get(teamId);
  }
}

/** `/courses/<id>/steps/KORT/schedule` → `/courses/:id/steps/KORT/schedule` (for counting by route) */
function route(path: string): string {
  return path
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')
    .replace(/\/clinicians\/[^/]+/, '/clinicians/:id');
}

function dedupe<T extends { fact: string; key?: string }>(facts: T[]): T[] {
  const byKey = new Map<string, T>();
  for (const f of facts) byKey.set(`${f.fact}/${f.key ?? ''}`, f);
  return [...byKey.values()];
}

function sorted(counts: Counts): Counts {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
