import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { loggerOptions } from '../../apps/api/src/platform/logging/logger-options.js';
import { fillPath, RawClient, routesOf, sample, type OpenApiDocument, type Route } from '../hostile/hostile-walk.js';
import { testDatabaseTargets, type DatabaseTarget } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

/**
 * No CPR number in free text. Walks every request body the OpenAPI document (GET /docs-json) describes, plants a
 * CPR number in each string field of its example in turn (and as a key of every free-form object), and asserts
 * `422 CPR_IN_TEXT` naming the field, before anything is written (events, idempotency records, webhooks, feeds,
 * patients). The referral's `cpr` field is the one exemption. Then: errors never say a CPR number in the path
 * back, the access log and the request log keep it redacted, and X-Correlation-Id is checked.
 * The guard does not depend on the database: one target runs (PostgreSQL when reachable).
 */
const targets = await testDatabaseTargets();
const target: DatabaseTarget = present(targets.find((t) => !t.skipReason));

/** valid by the CPR office's rules (and modulus 11), written three ways */
const CPR = '040264-2889';
const PLANTED = [`Patient ${CPR} called`, '0402642889', `cpr:${CPR}.`];
const TABLES = ['events', 'streams', 'idempotent_responses', 'webhooks', 'calendar_feeds', 'patients'];

type Path = Array<string | number>;

/** every string leaf of a JSON value, with its path */
function stringLeaves(value: unknown, path: Path = []): Path[] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

/** every object (free-form or not) of a JSON value, with its path */
function objects(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => objects(item, [...path, i]));
  if (value && typeof value === 'object') return [path, ...Object.entries(value).flatMap(([k, v]) => objects(v, [...path, k]))];
  return [];
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(root);
  if (path.length === 0) return value;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
}

function fieldName(path: Path): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${key}` : key), '') || '(body)';
}

describe(`no CPR number in any free text [${target.kind}]`, () => {
  let t: TestApp;
  let client: RawClient;
  let doc: OpenApiDocument;
  let routes: Route[];
  let admin: string;
  let dataSource: DataSource;

  async function rows(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of TABLES)
      out[table] = Number((await dataSource.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM ${table}`))[0].n);
    return out;
  }

  const send = (route: Route, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${admin}` }) =>
    client.send({
      method: route.method,
      path: fillPath(route),
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': `cpr-walk-${Math.random().toString(36).slice(2)}` },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    t = await startTestApp(target);
    await t.app.listen(0, '127.0.0.1');
    client = new RawClient(((t.app.getHttpServer() as Server).address() as AddressInfo).port, 4);
    dataSource = t.app.get(DataSource);
    admin = await t.token(['admin'], 'cpr-admin');
    doc = (await client.send({ method: 'GET', path: '/docs-json' })).body as OpenApiDocument;
    routes = routesOf(doc).filter((r) => r.bodySchema);
  });
  afterAll(async () => {
    await closeIfStarted(client, t);
  });

  it('refuses a CPR number planted in any string field of every documented request body with 422 CPR_IN_TEXT, writing nothing', async () => {
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.map((r) => `${r.method} ${r.template}`)).toEqual(
      expect.arrayContaining([
        'POST /referrals',
        'PUT /catalogues/{clinicId}',
        'POST /courses/{id}/enrolments',
        'POST /rooms',
        'POST /webhooks',
      ]),
    );
    const before = await rows();
    const problems: string[] = [];
    let planted = 0;
    for (const route of routes) {
      const body = sample(doc, route.bodySchema);
      // the exempt fields: the referral's cpr, and the patient search's (POST /patients/search takes the number only there)
      const leaves = stringLeaves(body).filter(
        (p) => !((route.template === '/referrals' || route.template === '/patients/search') && p.length === 1 && p[0] === 'cpr'),
      );
      const keyHolders = objects(body);
      expect({ route: route.template, strings: leaves.length + keyHolders.length > 0 }).toEqual({ route: route.template, strings: true });
      const cases: Array<{ what: string; body: unknown; field: string }> = [];
      leaves.forEach((path, i) =>
        cases.push({ what: fieldName(path), body: setAt(body, path, PLANTED[i % PLANTED.length]), field: fieldName(path) }),
      );
      // a CPR number as a key of any object (free-form records such as a referral's content)
      for (const path of keyHolders.slice(0, 20)) {
        const holder = path.length === 0 ? body : path.reduce<any>((node, key) => node[key], body);
        if (Array.isArray(holder) || !holder || typeof holder !== 'object') continue;
        cases.push({
          what: `key in ${fieldName(path)}`,
          body: setAt(body, path, { ...holder, [CPR]: 'x' }),
          field: [...path.map(String), '[cpr-redacted]'].join('.'),
        });
      }
      for (const c of cases) {
        planted++;
        const res = await send(route, c.body);
        const parsed = (res.body ?? JSON.parse(res.text || 'null')) as
          | {
              code?: string;
              details?: { field?: string };
              message?: string;
              resourceType?: string;
              issue?: Array<{ details?: { coding?: Array<{ code?: string }> } }>;
            }
          | undefined;
        // /fhir/… answers an OperationOutcome with the stable code in issue.details.coding
        const fhir = parsed?.resourceType === 'OperationOutcome';
        const b = fhir ? { code: parsed.issue?.[0]?.details?.coding?.[0]?.code, details: { field: c.field } } : parsed;
        if (res.status !== 422 || b?.code !== 'CPR_IN_TEXT')
          problems.push(`${route.method} ${route.template} ${c.what} → ${res.status} ${res.text.slice(0, 160)}`);
        else if (res.text.includes(CPR) || res.text.includes('0402642889'))
          problems.push(`${route.method} ${route.template} ${c.what}: the refusal says the number back`);
        else if (!c.what.startsWith('key') && b.details?.field !== c.field.replace(/\[(\d+)\]/g, '[$1]'))
          problems.push(`${route.method} ${route.template} ${c.what}: names field ${String(b.details?.field)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(planted).toBeGreaterThan(100);
    expect(await rows()).toEqual(before);
  });

  it('answers in a sentence a secretary can read', async () => {
    const route = present(routes.find((r) => r.method === 'POST' && r.template === '/courses/{id}/enrolments'));
    const res = await send(route, { ...(sample(doc, route.bodySchema) as object), reason: `Patient ${CPR} called` });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      statusCode: 422,
      code: 'CPR_IN_TEXT',
      message:
        'The field reason contains a CPR number. A CPR number may be given only where a referral asks for it; please remove it and refer to the patient by the course instead. Nothing was saved.',
      details: { field: 'reason' },
    });
  });

  it('exempts exactly the referral’s cpr field: the number is taken there, and refused anywhere else in the same body', async () => {
    const route = present(routes.find((r) => r.method === 'POST' && r.template === '/referrals'));
    const body = sample(doc, route.bodySchema) as Record<string, unknown>;
    const ok = await send(route, { ...body, cpr: CPR });
    expect(ok.status).toBe(201);
    expect(ok.text).not.toContain(CPR);
    const elsewhere = await send(route, { ...body, cpr: CPR, referrer: { ...(body.referrer as object), name: `Dr. ${CPR}` } });
    expect(elsewhere.status).toBe(422);
    expect((elsewhere.body as { details: unknown }).details).toEqual({ field: 'referrer.name' });
    // nested under another key called cpr: not the exempt field
    const nested = await send(route, { ...body, cpr: CPR, content: { cpr: CPR } });
    expect(nested.status).toBe(422);
  });

  it('refuses a CPR number in the headers a write stores (Idempotency-Key, X-On-Behalf-Of), writing nothing', async () => {
    const before = await rows();
    const route = present(routes.find((r) => r.method === 'POST' && r.template === '/rooms'));
    for (const [header, value] of [
      ['idempotency-key', `key-${CPR}`],
      ['x-on-behalf-of', '0402642889'],
    ] as const) {
      const res = await client.send({
        method: 'POST',
        path: fillPath(route),
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', [header]: value },
        body: JSON.stringify(sample(doc, route.bodySchema)),
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'CPR_IN_TEXT',
        details: { header: header === 'idempotency-key' ? 'Idempotency-Key' : 'X-On-Behalf-Of' },
      });
      expect(res.text).not.toMatch(/040264-?2889/);
    }
    expect(await rows()).toEqual(before);
  });

  it('asks for a token before looking at the body (401 first, then 403, then 422)', async () => {
    const route = present(routes.find((r) => r.method === 'POST' && r.template === '/rooms'));
    const body = { ...(sample(doc, route.bodySchema) as object), name: `Room ${CPR}` };
    expect((await send(route, body, {})).status).toBe(401);
    expect((await send(route, body, { authorization: `Bearer ${await t.token(['auditor'])}` })).status).toBe(403);
    expect((await send(route, body)).status).toBe(422);
  });

  it('does not take other numbers for CPR numbers (ids, times, phone numbers, impossible dates)', async () => {
    const route = present(routes.find((r) => r.method === 'POST' && r.template === '/rooms'));
    const body = sample(doc, route.bodySchema) as Record<string, unknown>;
    for (const name of [
      'Room 2026-03-09 10:00',
      'Call 2345 6789',
      'Ref 3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11',
      'Code 9999999999',
      'Order 12345678901234',
      'Room 320264-2889',
    ]) {
      const res = await send(route, { ...body, name });
      expect({ name, status: res.status }).toEqual({ name, status: 201 });
    }
  });

  it('never says a CPR number in the path back, and the access log keeps it redacted', async () => {
    const secretary = await t.token(['secretary'], 'cpr-secretary');
    for (const path of [
      '/courses/040595-1159',
      '/courses/0405951159',
      '/courses/040595%2D1159',
      '/courses/040595-1159/history',
      '/teams/040595-1159',
      '/calendars/courses/040595-1159',
      '/clinicians/040595-1159',
    ]) {
      const res = await client.send({
        method: 'GET',
        path,
        headers: { authorization: `Bearer ${secretary}`, 'x-correlation-id': 'cpr-path-check' },
      });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect({ path, echoed: /040595-?1159/.test(res.text) }).toEqual({ path, echoed: false });
    }
    const logged = await dataSource.query<Array<{ path: string; ids: string }>>(
      `SELECT path, course_ids::text AS ids, query::text AS query FROM access_log WHERE correlation_id = 'cpr-path-check'`,
    );
    expect(logged.length).toBeGreaterThan(0);
    for (const row of logged) expect(JSON.stringify(row)).not.toMatch(/040595(-|%2D)?1159/i);
  });

  it('keeps CPR numbers and feed tokens out of the request log line', () => {
    const options = loggerOptions(t.config) as { pinoHttp: { serializers: { req: (r: object) => { url: string } } } };
    const line = (url: string) => options.pinoHttp.serializers.req({ id: '1', method: 'GET', url }).url;
    expect(line('/courses/040595-1159/history')).toBe('/courses/[cpr-redacted]/history');
    expect(line('/fhir/Appointment?patient=0405951159&x=1')).toBe('/fhir/Appointment?patient=[cpr-redacted]&x=1');
    expect(line('/courses/040595%2D1159')).not.toMatch(/040595/);
    expect(line('/calendars/rooms/r1.ics?token=secret')).toBe('/calendars/rooms/r1.ics?token=[redacted]');
    expect(line('/courses/3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11')).toBe('/courses/3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11');
  });

  it('checks X-Correlation-Id: a good one is kept and sent back, a bad one replaced by a fresh uuid everywhere', async () => {
    const secretary = await t.token(['secretary'], 'cpr-secretary');
    const get = (id: string) =>
      client.send({
        method: 'GET',
        path: '/courses/3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11',
        headers: { authorization: `Bearer ${secretary}`, 'x-correlation-id': id },
      });
    const good = await get('trace-1.a:b_c-d');
    expect(good.headers['x-correlation-id']).toBe('trace-1.a:b_c-d');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const bad of ['x'.repeat(129), 'has space', '<script>', 'a"b', '0405951159', `trace-${CPR}`, 'æøå']) {
      const res = await get(bad);
      expect({ bad, id: res.headers['x-correlation-id'] }).toEqual({ bad, id: expect.stringMatching(uuid) });
      const rows = await dataSource.query<unknown[]>(`SELECT correlation_id FROM access_log WHERE correlation_id = $1`, [
        res.headers['x-correlation-id'],
      ]);
      expect({ bad, logged: rows.length }).toEqual({ bad, logged: 1 });
    }
    const stored = await dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM access_log WHERE correlation_id LIKE '%040264%' OR correlation_id LIKE '%0405951159%' OR length(correlation_id) > 128`,
    );
    expect(stored[0].n).toBe(0);
  });
});
