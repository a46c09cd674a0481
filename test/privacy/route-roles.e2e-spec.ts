import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { PatientRoutes } from '../../apps/api/src/platform/access-log/patient-routes.js';
import { ROLES } from '../../apps/api/src/platform/auth/actor.js';
import { PUBLIC_EXTENSION, ROLES_EXTENSION } from '../../apps/api/src/platform/auth/roles.decorator.js';
import { fillPath, RawClient, routesOf, sample, type OpenApiDocument } from '../hostile/hostile-walk.js';
import { testDatabaseTargets, type DatabaseTarget } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

/**
 * Every route declares who may call it. From both sides:
 *  - the OpenAPI document (GET /docs-json): every operation carries `x-roles` (the roles allowed, admin always
 *    among them) or `x-public`;
 *  - Nest's own route metadata (every controller method the router serves, documented or not): every handler
 *    has @Roles or @Public, on itself or on its controller.
 * Then the rule is held: a genuine token that names no role, and one that names only `integration`, are refused
 * (403) on every route whose rule does not name them, and such refusals write nothing.
 * Role rules do not depend on the database: one target runs (PostgreSQL when reachable).
 */
const targets = await testDatabaseTargets();
const target: DatabaseTarget = present(targets.find((t) => !t.skipReason));

type Operation = { [ROLES_EXTENSION]?: unknown; [PUBLIC_EXTENSION]?: unknown };

describe(`every route declares its roles [${target.kind}]`, () => {
  let t: TestApp;
  let client: RawClient;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    t = await startTestApp(target);
    await t.app.listen(0, '127.0.0.1');
    client = new RawClient(((t.app.getHttpServer() as Server).address() as AddressInfo).port, 4);
    doc = (await client.send({ method: 'GET', path: '/docs-json' })).body as OpenApiDocument;
  });
  afterAll(async () => {
    await closeIfStarted(client, t);
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([template, ops]) =>
      Object.entries(ops as Record<string, Operation>)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({ label: `${method.toUpperCase()} ${template}`, method: method.toUpperCase(), template, op })),
    );

  it('documents a role rule (x-roles) or x-public on every operation of /docs-json', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(50);
    const missing = ops.filter(
      ({ op }) => op[PUBLIC_EXTENSION] !== true && !(Array.isArray(op[ROLES_EXTENSION]) && (op[ROLES_EXTENSION] as unknown[]).length > 0),
    );
    expect(missing.map((o) => o.label)).toEqual([]);
    for (const { label, op } of ops) {
      if (!Array.isArray(op[ROLES_EXTENSION])) continue;
      const roles = op[ROLES_EXTENSION] as string[];
      expect({ label, unknown: roles.filter((r) => !(ROLES as readonly string[]).includes(r)) }).toEqual({ label, unknown: [] });
      expect({ label, admin: roles.includes('admin') }).toEqual({ label, admin: true });
    }
  });

  it('documents the refusals of the guards: 401/403 on every route that takes a token, 422 CPR_IN_TEXT on every write', () => {
    const problems: string[] = [];
    for (const { label, method, op } of operations()) {
      const responses = (op as { responses?: Partial<Record<string, { description?: string }>> }).responses ?? {};
      if (op[PUBLIC_EXTENSION] !== true)
        for (const status of ['401', '403']) if (!responses[status]) problems.push(`${label}: no ${status}`);
      if (method !== 'GET' && !(responses['422']?.description ?? '').includes('CPR_IN_TEXT'))
        problems.push(`${label}: 422 does not name CPR_IN_TEXT`);
    }
    expect(problems).toEqual([]);
  });

  it('has @Roles or @Public on every route Nest serves (documented or not)', () => {
    const routes = t.app.get(PatientRoutes).all();
    expect(routes.length).toBeGreaterThan(50);
    const missing = routes.filter((route) => !route.isPublic && !(route.roles && route.roles.length > 0));
    expect(missing.map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`)).toEqual([]);
    const unknown = routes.filter((route) => (route.roles ?? []).some((r) => !(ROLES as readonly string[]).includes(r)));
    expect(unknown.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('refuses a token without roles, and an integration token, on every route not open to them (403), writing nothing', async () => {
    const dataSource = t.app.get(DataSource);
    const count = async () => Number((await dataSource.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM events`))[0].n);
    const before = await count();
    const roleless = await t.token([], 'nobody');
    const integration = await t.token(['integration'], 'his-1');
    const problems: string[] = [];
    let calls = 0;
    for (const { label, method, template, op } of operations()) {
      if (op[PUBLIC_EXTENSION] === true) continue;
      const route = routesOf({
        ...doc,
        paths: { [template]: { [method.toLowerCase()]: (doc.paths[template] as Record<string, object>)[method.toLowerCase()] } },
      })[0];
      const body = route.bodySchema ? JSON.stringify(sample(doc, route.bodySchema)) : undefined;
      const allowed = op[ROLES_EXTENSION] as string[];
      for (const [who, token] of [
        ['no roles', roleless],
        ['integration', integration],
      ] as const) {
        if (who === 'integration' && allowed.includes('integration')) continue;
        const res = await client.send({
          method,
          path: fillPath(route),
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body } : {}),
        });
        calls++;
        const code = (res.body as { code?: string } | undefined)?.code ?? /"code"\s*:\s*"([A-Z_]+)"/.exec(res.text)?.[1];
        if (res.status !== 403 || code !== 'FORBIDDEN') problems.push(`${label} [${who}] → ${res.status} ${res.text.slice(0, 160)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(calls).toBeGreaterThan(80);
    expect(await count()).toBe(before);
  });

  it('names the missing role in a sentence, and a roleless token in its own words', async () => {
    const roleless = await t.token([], 'nobody');
    const res = await client.send({ method: 'GET', path: '/programmes', headers: { authorization: `Bearer ${roleless}` } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: 'Your access token names no role; it needs one of: secretary, clinician, auditor, admin.',
      details: { required: ['secretary', 'clinician', 'auditor'] },
    });
  });
});
