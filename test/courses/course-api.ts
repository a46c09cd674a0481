import request from 'supertest';
import type { Role } from '../../apps/api/src/platform/auth/actor.js';
import type { TestApp } from '../support/test-app.js';

/** Small helpers for the course and appointment e2e suites (shared by test/courses and test/appointments). */

export const FULL_CONTENT = {
  CURRENT_MEDICATION: 'paracetamol 1 g x 4, tramadol 50 mg as needed',
  PREVIOUS_MEDICATION: 'gabapentin (stopped: dizziness)',
  PSYCHOLOGICAL_FACTORS: 'low mood, avoidance',
  SLEEP_AND_ACTIVITY: 'sleeps 4-5 hours, walks 10 minutes a day',
  EMPLOYMENT_STATUS: 'sick-listed since August',
  INCOME_SETTLED: 'sickness benefit, not settled long term',
  PENDING_COMPENSATION_CASES: 'none',
};

export const ALL_CRITERIA_MET = {
  PAIN_OVER_SIX_MONTHS: true,
  MOTIVATED: true,
  SINGLE_DISCIPLINE_FAILED: true,
  DIAGNOSTICALLY_CLARIFIED: true,
  SERIOUS_CONSEQUENCES: true,
  SOCIAL_PSYCHOLOGICAL_PROBLEMS: true,
};

/** a fictitious, valid CPR number per n (1 Jan 1980, serial 1000 + n; modulus 11 is not required) */
export const cprFor = (n: number): string => `010180-${String(1000 + n).padStart(4, '0')}`;

export const anHourAgo = (): string => new Date(Date.now() - 3_600_000).toISOString();

export type Method = 'get' | 'post' | 'put' | 'delete';

export interface Api {
  /** every response body and error seen, to check that no CPR number ever came back */
  readonly seen: string[];
  call(
    method: Method,
    path: string,
    roles: Role[],
    body?: object,
    headers?: Record<string, string>,
    sub?: string,
    clinicId?: string,
  ): Promise<request.Response>;
  referral(cpr: string, content?: Record<string, string>, headers?: Record<string, string>, receivedAt?: string): Promise<request.Response>;
  /** a referral with full content, accepted at visitation: an active course */
  activeCourse(cpr: string): Promise<{ courseId: string; patientId: string }>;
}

export function courseApi(t: TestApp): Api {
  const seen: string[] = [];
  const call: Api['call'] = async (method, path, roles, body, headers = {}, sub, clinicId) => {
    const token = await t.token(roles, sub ?? `${roles[0]}-1`, clinicId);
    let req = request(t.server)[method](path).set('Authorization', `Bearer ${token}`);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    const res = body === undefined ? await req : await req.send(body);
    seen.push(res.text, JSON.stringify(res.headers));
    return res;
  };
  const referral: Api['referral'] = (cpr, content = FULL_CONTENT, headers, receivedAt = anHourAgo()) =>
    call(
      'post',
      '/referrals',
      ['secretary'],
      { cpr, receivedAt, referrer: { kind: 'GP', id: 'GP-042113', name: 'Lægehuset' }, content },
      headers,
    );
  return {
    seen,
    call,
    referral,
    async activeCourse(cpr) {
      const created = await referral(cpr);
      expect(created.status).toBe(201);
      const accepted = await call('post', `/courses/${created.body.courseId}/visitation`, ['clinician'], {
        decision: 'accept',
        assessment: ALL_CRITERIA_MET,
      });
      expect(accepted.status).toBe(200);
      return { courseId: created.body.courseId, patientId: created.body.patientId };
    },
  };
}
