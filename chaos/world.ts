import { addDaysToLocalDate, defaultCatalogue, formatInZone } from '#app/domain';
import { openDatabase } from '#app/database';
import { PostgresEventStore } from '#app/event-store';
import { seedTeamServiceHistory } from '../workload/history.js';
import { inPool, type ApiClient } from '../workload/http.js';
import { syntheticCpr } from '../workload/random.js';

export const SECRETARY = { role: 'secretary' as const, sub: 'chaos-sec-1' };
export const DOCTOR = { role: 'clinician' as const, sub: 'chaos-doc-1' };

const TZ = defaultCatalogue.settings.timeZone;
const pathway = defaultCatalogue.pathway;

export interface ChaosWorld {
  readonly teams: ReadonlyArray<{ readonly teamId: string; readonly capacity: number }>;
  readonly courses: readonly string[];
}

/**
 * The world the faults hit, built through the API before any fault (the same command path as the workload):
 * qualified Forstå smerte therapists (their earlier team service written to the event store, as the API
 * cannot create the past), one small room, `teams` staffed Forstå smerte teams in the coming weeks, and
 * `courses` accepted courses with "needs interpreter: no" recorded. Few seats per team: the racers contend.
 */
export async function buildWorld(
  client: ApiClient,
  databaseUrl: string,
  options: { teams: number; seatsPerTeam: number; courses: number; concurrency: number },
): Promise<ChaosWorld> {
  const therapists = ['CH-P1', 'CH-P2', 'CH-S1', 'CH-S2'];
  for (const id of therapists) {
    await must(
      client.post(
        '/clinicians',
        { clinicianId: id, professions: ['NURSE'], employmentStart: '2015-01-01' },
        { as: SECRETARY, key: `chaos-clin-${id}` },
      ),
      201,
    );
    await must(
      client.post(
        `/clinicians/${id}/competences`,
        { competence: 'TEACHING_COURSE', grantedAt: '2016-01-01', reason: 'Certificate seen' },
        { as: SECRETARY, key: `chaos-comp-${id}` },
      ),
      201,
    );
  }
  const db = await openDatabase({ databaseUrl, dataDir: 'unused', migrate: false, poolSize: 1 });
  try {
    await seedTeamServiceHistory(new PostgresEventStore(db.dataSource), therapists);
  } finally {
    await db.close();
  }
  const room = await must(
    client.post('/rooms', { name: 'Chaos room', seats: options.seatsPerTeam }, { as: SECRETARY, key: 'chaos-room-1' }),
    201,
  );
  const roomId = (room.body as { roomId: string }).roomId;
  const today = formatInZone(Date.now(), TZ).slice(0, 10);
  const teams: Array<{ teamId: string; capacity: number }> = [];
  for (let i = 0; i < options.teams; i++) {
    const planned = await must(
      client.post(
        '/teams',
        { programmeCode: 'FORSTAA_SMERTE', roomId, startsOn: addDaysToLocalDate(today, 14 + 7 * i), startTime: i % 2 ? '13:00' : '09:00' },
        { as: SECRETARY, key: `chaos-team-${i}` },
      ),
      201,
    );
    const teamId = (planned.body as { teamId: string }).teamId;
    await must(
      client.post(
        `/teams/${teamId}/therapists`,
        { clinicianId: therapists[i % 2], role: 'primary' },
        { as: SECRETARY, key: `chaos-team-${i}-p` },
      ),
      201,
    );
    await must(
      client.post(
        `/teams/${teamId}/therapists`,
        { clinicianId: therapists[2 + (i % 2)], role: 'secondary' },
        { as: SECRETARY, key: `chaos-team-${i}-s` },
      ),
      201,
    );
    teams.push({ teamId, capacity: (planned.body as { seats: { capacity: number } }).seats.capacity });
  }
  const content = Object.fromEntries(pathway.referral.requiredContent.map((i) => [i.code, 'noted']));
  const assessment = Object.fromEntries(pathway.referral.criteriaSet.criteria.map((c) => [c.code, true]));
  const courses: string[] = [];
  await inPool(
    Array.from({ length: options.courses }, (_, i) => i),
    options.concurrency,
    async (i) => {
      const referral = await must(
        client.post(
          '/referrals',
          {
            cpr: syntheticCpr(50_000 + i),
            receivedAt: formatInZone(Date.now() - (10 + (i % 20)) * 86_400_000, TZ),
            referrer: { kind: 'GP', id: 'GP-0421' },
            content,
          },
          { as: SECRETARY, key: `chaos-ref-${i}` },
        ),
        201,
      );
      const courseId = (referral.body as { courseId: string }).courseId;
      await must(
        client.post(`/courses/${courseId}/visitation`, { decision: 'accept', assessment }, { as: DOCTOR, key: `chaos-vis-${i}` }),
        200,
      );
      await must(
        client.put(
          `/courses/${courseId}/criteria`,
          { facts: [{ fact: 'needsInterpreter', value: false, basis: { source: 'REFERRAL' } }] },
          { as: DOCTOR, key: `chaos-facts-${i}` },
        ),
        200,
      );
      courses[i] = courseId;
    },
  );
  return { teams, courses };
}

async function must<T extends { status: number; body: unknown }>(answer: Promise<T>, status: number): Promise<T> {
  const a = await answer;
  if (a.status !== status)
    throw new Error(`Setting up the world: expected ${status}, got ${a.status}: ${JSON.stringify(a.body).slice(0, 400)}`);
  return a;
}
