import { SignJWT } from 'jose';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { testDatabaseTargets, type DatabaseTarget } from '../support/database-targets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  deeplyNested,
  fillPath,
  isArraySchema,
  isStringSchema,
  RawClient,
  resolve,
  routesOf,
  sample,
  wrongType,
  type OpenApiDocument,
  type RawRequest,
  type Route,
  type Schema,
} from './hostile-walk.js';
import { present } from '../support/present.js';
import { closeIfStarted } from '../support/close-if-started.js';

/**
 * Walks every route of the OpenAPI document (GET /docs-json) with hostile input: no or bad tokens,
 * malformed JSON, bodies of the wrong shape or type, oversized bodies, unexpected fields, huge strings,
 * NUL characters, deep nesting, path parameters that are not ids, bad query parameters and headers.
 * Every answer must be below 500, every refusal in the contract's error shape, and a refusal must
 * leave the event store as it was (rows in `events` and `streams` counted before and after each call).
 * Writes that were accepted in spite of hostile input (a null optional field, markup in a free-text reason) are
 * not failures by themselves; HOSTILE_VERBOSE=1 lists them at the end.
 *
 * Input validation does not depend on the database, so one target runs (PostgreSQL when reachable).
 */
const targets = await testDatabaseTargets();
const target: DatabaseTarget = present(targets.find((t) => !t.skipReason));

const BODY_LIMIT = 256 * 1024;
const HUGE = 'A'.repeat(200_000); // under the body limit: it must be refused by validation, not by size
const LONG_ID = 'a'.repeat(4_000);
const JSON_HEADERS = { 'content-type': 'application/json' };
/** calls in flight at once (the walk is several thousand calls on a shared 2-core machine) */
const PARALLEL = 8;

interface Case {
  readonly label: string;
  readonly req: RawRequest;
  /** exact status(es) required on top of the general rules */
  readonly expect?: readonly number[];
}

describe(`hostile input on every route of the OpenAPI document [${target.kind}]`, () => {
  let t: TestApp;
  let client: RawClient;
  let doc: OpenApiDocument;
  let routes: Route[];
  let admin: string;
  let dataSource: DataSource;
  let seq = 0;
  let acceptedWrites = 0;
  let sentCount = 0;
  let initialRows = 0;
  const accepted: string[] = [];

  const auth = () => ({ authorization: `Bearer ${admin}` });
  const label = (route: Route, what: string) => `${route.method} ${route.template} [${what}]`;
  const hasBody = (route: Route) => route.method !== 'GET';
  /** a sane body for routes that declare one (others get none) */
  const bodyFor = (route: Route): string | undefined => (route.bodySchema ? JSON.stringify(sample(doc, route.bodySchema)) : undefined);
  const jsonIf = (body: string | undefined) => (body === undefined ? {} : JSON_HEADERS);

  async function storeRows(): Promise<number> {
    const [row] = await dataSource.query<Array<{ n: string }>>(
      `SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM streams) AS n`,
    );
    return Number(row.n);
  }

  /**
   * Sends the cases, PARALLEL at a time; returns every rule broken (so one run lists them all). The store is
   * counted after each batch: a change during a batch with no accepted write (and none before it) is a
   * refusal that wrote; otherwise each refused call is checked by the correlation id its events would carry.
   */
  async function run(cases: readonly Case[]): Promise<string[]> {
    const problems: string[] = [];
    let before = await storeRows();
    for (let i = 0; i < cases.length; i += PARALLEL) {
      const batch = await Promise.all(
        cases.slice(i, i + PARALLEL).map(async (c) => {
          const correlationId = `hostile-${++seq}`;
          try {
            return {
              c,
              correlationId,
              res: await client.send({ ...c.req, headers: { 'x-correlation-id': correlationId, ...c.req.headers } }),
            };
          } catch (error) {
            problems.push(`${c.label}: no HTTP answer (${(error as Error).message})`);
            return undefined;
          }
        }),
      );
      const after = await storeRows();
      const acceptedBefore = acceptedWrites;
      const refused: Array<{ where: string; correlationId: string }> = [];
      for (const sent of batch) {
        if (!sent) continue;
        const { c, correlationId, res } = sent;
        sentCount++;
        const where = `${c.label} → ${res.status}`;
        if (res.status >= 500) problems.push(`${where}: server error ${res.text.slice(0, 300)}`);
        if (c.expect && !c.expect.includes(res.status))
          problems.push(`${where}: expected ${c.expect.join(' or ')} (${res.text.slice(0, 200)})`);
        if (res.status >= 400) {
          const contract = contractShapeProblem(res.status, res.body, res.headers['content-type']);
          // /fhir/… answers an OperationOutcome; the middleware in front of routing (input guard) still the contract's shape
          const shape =
            c.req.path.startsWith('/fhir/') && contract ? operationOutcomeProblem(res.text, res.headers['content-type']) : contract;
          if (shape) problems.push(`${where}: ${shape}: ${res.text.slice(0, 200)}`);
          if (res.text.length > 16_384)
            problems.push(`${where}: the error body is ${res.text.length} characters long (input echoed back?)`);
          refused.push({ where, correlationId });
        } else if (res.status < 300 && c.req.method !== 'GET') {
          acceptedWrites++;
          accepted.push(where);
        }
      }
      if (after !== before) {
        if (acceptedWrites === 0 && acceptedBefore === 0) {
          problems.push(`the store changed (${before} → ${after} rows) during refused calls: ${refused.map((r) => r.where).join('; ')}`);
        } else {
          for (const r of refused) {
            const [mine] = await dataSource.query<Array<{ n: number }>>(
              `SELECT count(*)::int AS n FROM events WHERE metadata->>'correlationId' = $1`,
              [r.correlationId],
            );
            if (mine.n > 0) problems.push(`${r.where}: refused, yet it wrote ${mine.n} event(s)`);
          }
        }
      }
      before = after;
    }
    return problems;
  }

  function bodyCase(route: Route, what: string, body: string | Buffer, extraHeaders: Record<string, string> = {}, expect?: number[]): Case {
    return {
      label: label(route, what),
      req: { method: route.method, path: fillPath(route), headers: { ...auth(), ...JSON_HEADERS, ...extraHeaders }, body },
      expect,
    };
  }

  /** the top-level fields of the route's body with their schemas (from `properties`, else from the example) */
  function fieldsOf(route: Route): Array<[string, Schema]> {
    const schema = resolve(doc, route.bodySchema);
    if (schema.properties) return Object.entries(schema.properties);
    const example = sample(doc, route.bodySchema);
    if (example && typeof example === 'object' && !Array.isArray(example)) {
      return Object.entries(example).map(([k, v]): [string, Schema] => [
        k,
        { example: v, type: Array.isArray(v) ? 'array' : v === null ? undefined : typeof v },
      ]);
    }
    return [];
  }

  beforeAll(async () => {
    t = await startTestApp(target);
    await t.app.listen(0, '127.0.0.1');
    client = new RawClient(((t.app.getHttpServer() as Server).address() as AddressInfo).port, PARALLEL);
    dataSource = t.app.get(DataSource);
    admin = await t.token(['admin'], 'hostile-admin');
    const res = await client.send({ method: 'GET', path: '/docs-json' });
    doc = res.body as OpenApiDocument;
    routes = routesOf(doc);
    initialRows = await storeRows();
  });

  afterAll(async () => {
    await closeIfStarted(client, t);
    if (accepted.length > 0 && process.env.HOSTILE_VERBOSE) {
      console.warn(`hostile walk: ${accepted.length} hostile write(s) were accepted (2xx), worth a look:\n  ${accepted.join('\n  ')}`);
    }
  });

  it('reads an OpenAPI 3 document that lists the API’s routes', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.map((r) => `${r.method} ${r.template}`)).toEqual(
      expect.arrayContaining(['GET /health', 'POST /teams', 'GET /teams/{id}']),
    );
  });

  it('no token, or a bad one: 401 UNAUTHENTICATED on every protected route, never a 5xx', async () => {
    const secret = new TextEncoder().encode(t.config.jwtSecret);
    const sign = (claims: Record<string, unknown>, key = secret, expires: number | string = '5m') =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('intruder').setIssuedAt().setExpirationTime(expires).sign(key);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const variants: Array<[string, Record<string, string>]> = [
      ['no Authorization header', {}],
      ['empty Bearer', { authorization: 'Bearer ' }],
      ['Basic credentials', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
      ['garbage token', { authorization: 'Bearer not.a.jwt' }],
      [
        'alg none',
        {
          authorization: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', roles: ['admin'], clinicId: 'smertecenter-syd' })}.`,
        },
      ],
      [
        'signed with another secret',
        {
          authorization: `Bearer ${await sign({ roles: ['admin'], clinicId: 'smertecenter-syd' }, new TextEncoder().encode('another-secret-another-secret-another-secret'))}`,
        },
      ],
      [
        'expired',
        {
          authorization: `Bearer ${await sign({ roles: ['admin'], clinicId: 'smertecenter-syd' }, secret, Math.floor(Date.now() / 1000) - 60)}`,
        },
      ],
      ['roles not a list', { authorization: `Bearer ${await sign({ roles: 'admin', clinicId: 'smertecenter-syd' })}` }],
      ['unknown role, no clinic', { authorization: `Bearer ${await sign({ roles: ['superuser'] })}` }],
      ['8 kB token', { authorization: `Bearer ${'a'.repeat(8_000)}` }],
      [
        'no exp',
        {
          authorization: `Bearer ${await new SignJWT({ roles: ['admin'], clinicId: 'smertecenter-syd' }).setProtectedHeader({ alg: 'HS256' }).setSubject('intruder').setIssuedAt().sign(secret)}`,
        },
      ],
      ['valid for 13 hours', { authorization: `Bearer ${await sign({ roles: ['admin'], clinicId: 'smertecenter-syd' }, secret, '13h')}` }],
    ];
    const cases = routes.flatMap((route) =>
      variants.map(([what, headers]): Case => ({
        label: label(route, what),
        req: { method: route.method, path: fillPath(route), headers: { ...headers, ...jsonIf(bodyFor(route)) }, body: bodyFor(route) },
        // a genuine token that names no role reaches nothing but the public routes
        expect: route.isPublic ? undefined : what === 'roles not a list' ? [403] : [401],
      })),
    );
    expect(await run(cases)).toEqual([]);
  });

  it('malformed JSON, bodies that are not objects, deep nesting and __proto__ keys: refused, never a 5xx', async () => {
    const cases = routes
      .filter(hasBody)
      .flatMap((route) => [
        bodyCase(route, 'malformed JSON', '{"broken": ', {}, [400]),
        bodyCase(route, 'truncated string', '{"reason": "abc', {}, [400]),
        bodyCase(route, 'body is a JSON string', '"just a string"'),
        bodyCase(route, 'body is a number', '42'),
        bodyCase(route, 'body is null', 'null'),
        bodyCase(route, 'body is an array', '[]'),
        bodyCase(route, 'body is an array of objects', `[${bodyFor(route) ?? '{}'}]`),
        bodyCase(
          route,
          '__proto__ and constructor keys',
          JSON.stringify({ ...(JSON.parse(bodyFor(route) ?? '{}') as object), constructor: { prototype: { polluted: true } } }).replace(
            /^\{/,
            '{"__proto__":{"polluted":true},',
          ),
        ),
        bodyCase(route, 'deeply nested arrays (50 000 levels)', deeplyNested(50_000)),
        bodyCase(
          route,
          'invalid UTF-8 bytes',
          Buffer.concat([Buffer.from('{"reason":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]),
        ),
        bodyCase(route, 'unsupported charset', '{}', { 'content-type': 'application/json; charset=utf-16' }),
        bodyCase(route, 'gzip that is not gzip', 'definitely not gzip', { 'content-encoding': 'gzip' }),
        bodyCase(route, 'form-encoded body', 'a=1&b=2', { 'content-type': 'application/x-www-form-urlencoded' }),
        bodyCase(route, 'JSON sent as text/plain', bodyFor(route) ?? '{}', { 'content-type': 'text/plain' }),
      ]);
    expect(await run(cases)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('bodies over the size limit: 413 PAYLOAD_TOO_LARGE', async () => {
    const oversized = JSON.stringify({ reason: 'x'.repeat(BODY_LIMIT + 1024) });
    const cases = routes.filter(hasBody).map((route) => bodyCase(route, `${oversized.length} bytes`, oversized, {}, [413]));
    expect(await run(cases)).toEqual([]);
  });

  it('unexpected fields, wrong types, nulls, huge strings, NUL characters and huge lists in each field: refused, never a 5xx', async () => {
    const cases = routes
      .filter((r) => hasBody(r) && r.bodySchema)
      .flatMap((route) => {
        const base = sample(doc, route.bodySchema) as Record<string, unknown>;
        const withField = (field: string, value: unknown) => JSON.stringify({ ...base, [field]: value });
        const perField = fieldsOf(route).flatMap(([field, schema]) => [
          bodyCase(route, `${field}: wrong type`, withField(field, wrongType(doc, schema))),
          bodyCase(route, `${field}: null`, withField(field, null)),
          ...(isStringSchema(doc, schema)
            ? [
                bodyCase(route, `${field}: 200 000 characters`, withField(field, HUGE)),
                bodyCase(route, `${field}: NUL character`, withField(field, 'abc\u0000def')),
                bodyCase(route, `${field}: lone surrogate`, withField(field, 'abc\ud800')),
              ]
            : [bodyCase(route, `${field}: operator object`, withField(field, { $gt: '', $where: 'sleep(1000)' }))]),
          ...(isArraySchema(doc, schema)
            ? [
                bodyCase(
                  route,
                  `${field}: 20 000 items`,
                  withField(
                    field,
                    Array.from({ length: 20_000 }, () => 1),
                  ),
                ),
              ]
            : []),
        ]);
        const firstString = fieldsOf(route).find(([, schema]) => isStringSchema(doc, schema))?.[0];
        return [
          bodyCase(route, 'unexpected extra field', JSON.stringify({ ...base, unexpectedField: 'x', isAdmin: true })),
          ...(firstString
            ? [
                bodyCase(
                  route,
                  `${firstString}: SQL and markup`,
                  withField(firstString, "'); DROP TABLE events; -- <script>alert(1)</script>"),
                ),
              ]
            : []),
          bodyCase(route, 'empty object', '{}'),
          ...perField,
        ];
      });
    expect(await run(cases)).toEqual([]);
  });

  it('path parameters that are not ids (../, %00, bad encodings, very long, markup): refused, never a 5xx', async () => {
    const hostile = [
      '..',
      '..%2F..%2Fetc%2Fpasswd',
      'abc%00def',
      '%',
      '%ED%A0%80', // an encoded lone surrogate: not UTF-8
      '%F0%9F%92%A9',
      '%27%20OR%201%3D1--%3Cscript%3E',
      '99999999999999999999999999',
      LONG_ID,
    ];
    const cases = routes.flatMap((route) =>
      route.parameters
        .filter((p) => p.in === 'path')
        .flatMap((param) =>
          hostile.map((value): Case => ({
            label: label(route, `${param.name} = ${value.length > 40 ? `${value.length} characters` : value}`),
            req: {
              method: route.method,
              path: fillPath(route, { [param.name]: value }),
              headers: { ...auth(), ...jsonIf(bodyFor(route)) },
              body: bodyFor(route),
            },
          })),
        ),
    );
    // an address over Node's 16 kB header limit is refused before Express, still in the contract's shape
    const overflow = routes.slice(0, 3).map((route): Case => ({
      label: label(route, '20 000-character address'),
      req: { method: route.method, path: `${route.template.split('{')[0]}${'a'.repeat(20_000)}`, headers: auth() },
      expect: [431],
    }));
    // raw traversal segments in place of the whole tail of the path
    const traversal = routes
      .filter((r) => r.template.includes('{'))
      .map((route): Case => ({
        label: label(route, 'raw ../ segments'),
        req: { method: route.method, path: `${route.template.split('{')[0]}../../../etc/passwd`, headers: auth() },
      }));
    expect(await run([...cases, ...traversal, ...overflow])).toEqual([]);
  });

  it('query parameters of the wrong type, empty, huge, repeated, badly encoded or unknown: refused, never a 5xx', async () => {
    const values = ['not-valid!', '', 'x'.repeat(6_000), 'a%00b', '%ZZ', '-99999999999999999999'];
    const cases = routes.flatMap((route) => {
      const base = fillPath(route);
      const withQuery = (query: string, what: string): Case => ({
        label: label(route, what),
        req: { method: route.method, path: `${base}?${query}`, headers: { ...auth(), ...jsonIf(bodyFor(route)) }, body: bodyFor(route) },
      });
      const declared = route.parameters.filter((p) => p.in === 'query');
      return [
        withQuery('unexpectedParam=1', 'unknown query parameter'),
        withQuery('a[b][c]=1&__proto__[polluted]=1', 'bracketed query parameters'),
        ...declared.flatMap((p) => [
          ...values.map((v) => withQuery(`${p.name}=${v}`, `${p.name} = ${v.length > 40 ? `${v.length} characters` : v || '(empty)'}`)),
          withQuery(`${p.name}=a&${p.name}=b`, `${p.name} repeated`),
        ]),
      ];
    });
    expect(await run(cases)).toEqual([]);
  });

  it('malformed If-Match, Idempotency-Key and X-Min-Position headers: refused, never a 5xx', async () => {
    const cases = routes.flatMap((route) => {
      const body = bodyFor(route);
      const withHeaders = (what: string, headers: Record<string, string>): Case => ({
        label: label(route, what),
        req: { method: route.method, path: fillPath(route), headers: { ...auth(), ...(body ? JSON_HEADERS : {}), ...headers }, body },
      });
      return hasBody(route)
        ? [
            withHeaders('If-Match: garbage', { 'if-match': 'garbage' }),
            withHeaders('If-Match: huge number', { 'if-match': '"99999999999999999999999"' }),
            withHeaders('If-Match: negative', { 'if-match': '"-5"' }),
            withHeaders('Idempotency-Key: 6000 characters', { 'idempotency-key': 'k'.repeat(6_000) }),
            withHeaders('Idempotency-Key: blank', { 'idempotency-key': ' ' }),
          ]
        : [
            withHeaders('X-Min-Position: garbage', { 'x-min-position': 'garbage' }),
            withHeaders('X-Min-Position: 5000 characters', { 'x-min-position': '1'.repeat(5_000) }),
            withHeaders('X-Min-Position: three parts', { 'x-min-position': '1-2-3' }),
          ];
    });
    expect(await run(cases)).toEqual([]);
  });

  it('left the event store as it was, apart from hostile writes that were accepted', async () => {
    if (acceptedWrites === 0) expect(await storeRows()).toBe(initialRows);
    expect(sentCount).toBeGreaterThan(routes.length * 10);
  });
});

/** the FHIR API (/fhir/…) answers errors as a FHIR OperationOutcome (application/fhir+json) instead; undefined when it is one */
function operationOutcomeProblem(text: string, contentType: string | string[] | undefined): string | undefined {
  if (!/^application\/fhir\+json/.test(String(contentType ?? ''))) return `not FHIR JSON (${String(contentType)})`;
  let body: { resourceType?: unknown; issue?: Array<{ severity?: unknown; code?: unknown }> };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return 'not JSON';
  }
  if (body.resourceType !== 'OperationOutcome') return `resourceType is ${String(body.resourceType)}`;
  if (
    !Array.isArray(body.issue) ||
    body.issue.length === 0 ||
    body.issue.some((i) => typeof i.severity !== 'string' || typeof i.code !== 'string')
  )
    return 'no issue with severity and code';
  return undefined;
}

/** `{ statusCode, code, message, details }` with the response's own status, sent as JSON; undefined when it is */
function contractShapeProblem(status: number, body: unknown, contentType: string | string[] | undefined): string | undefined {
  if (!/application\/json/.test(String(contentType ?? ''))) return `not JSON (${String(contentType)})`;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'not an object';
  const b = body as Record<string, unknown>;
  const keys = Object.keys(b).sort().join(',');
  if (keys !== 'code,details,message,statusCode') return `keys are ${keys}`;
  if (b.statusCode !== status) return `statusCode ${String(b.statusCode)} differs from the status`;
  if (typeof b.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(b.code)) return `code ${String(b.code)} is not a stable code`;
  if (typeof b.message !== 'string' || b.message.trim() === '') return 'no message';
  if (typeof b.details !== 'object' || b.details === null || Array.isArray(b.details)) return 'details is not an object';
  return undefined;
}
