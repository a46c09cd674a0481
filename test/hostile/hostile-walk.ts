import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/**
 * Helpers for the hostile-input walk (hostile-input.e2e-spec.ts): a raw HTTP client (supertest would
 * normalise `../` and refuse some bytes; this sends the path exactly as written), and a generator of
 * plausible bodies from the OpenAPI document so that each hostile variant differs from a sane request
 * in one place only.
 */

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly body: unknown;
}

export interface RawRequest {
  readonly method: string;
  /** sent as written: percent-encode what must be encoded */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export class RawClient {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    maxSockets = 1,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  send(req: RawRequest): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...(req.headers ?? {}) };
      if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
      const outgoing = httpRequest(
        { host: '127.0.0.1', port: this.port, method: req.method, path: req.path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = undefined;
            if (/json/.test(res.headers['content-type'] ?? '')) {
              try {
                body = JSON.parse(text);
              } catch {
                body = undefined;
              }
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
          });
        },
      );
      outgoing.on('error', reject);
      if (req.body !== undefined) outgoing.write(req.body);
      outgoing.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

// ------------------------------------------------------------------------------------------ OpenAPI

export type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  nullable?: boolean;
};

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: Schema;
  readonly example?: unknown;
}

export interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> }; security?: unknown[] }>
  >;
  readonly components?: { schemas?: Record<string, Schema> };
}

export interface Route {
  readonly method: string;
  /** the OpenAPI template, e.g. /teams/{id} */
  readonly template: string;
  readonly parameters: readonly Parameter[];
  readonly bodySchema?: Schema;
  readonly isPublic: boolean;
}

export function routesOf(doc: OpenApiDocument): Route[] {
  const routes: Route[] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      routes.push({
        method: method.toUpperCase(),
        template,
        parameters: op.parameters ?? [],
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
        isPublic: !op.security || op.security.length === 0,
      });
    }
  }
  return routes;
}

export function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let current = schema ?? {};
  for (let i = 0; current.$ref && i < 20; i++) {
    const name = current.$ref.replace('#/components/schemas/', '');
    current = doc.components?.schemas?.[name] ?? {};
  }
  if (current.allOf) {
    return current.allOf
      .map((s) => resolve(doc, s))
      .reduce<Schema>(
        (a, b) => ({
          ...a,
          ...b,
          properties: { ...a.properties, ...b.properties },
          required: [...(a.required ?? []), ...(b.required ?? [])],
        }),
        {},
      );
  }
  return current;
}

/** a plausible value for the schema: its example where it has one, else something of the right type */
export function sample(doc: OpenApiDocument, schema: Schema | undefined, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (s.example !== undefined) return structuredClone(s.example);
  if (s.enum && s.enum.length > 0) return s.enum[0];
  if (s.oneOf?.[0] ?? s.anyOf?.[0]) return sample(doc, s.oneOf?.[0] ?? s.anyOf?.[0], depth + 1);
  const type = s.type ?? (s.properties ? 'object' : undefined);
  switch (type) {
    case 'object': {
      if (depth > 6) return {};
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, sample(doc, v, depth + 1)]));
    }
    case 'array':
      return depth > 6 ? [] : [sample(doc, s.items, depth + 1)];
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      return s.format === 'date-time' ? '2027-11-02T10:00:00+01:00' : s.format === 'date' ? '2027-11-02' : 'text';
    default:
      return 'text';
  }
}

/** a value of some other JSON type than the schema asks for */
export function wrongType(doc: OpenApiDocument, schema: Schema | undefined): unknown {
  const s = resolve(doc, schema);
  const type = s.type ?? (s.properties ? 'object' : typeof s.example === 'string' ? 'string' : undefined);
  switch (type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return '12abc';
    case 'boolean':
      return 'yes';
    case 'array':
      return 'not-a-list';
    case 'object':
      return ['not', 'an', 'object'];
    default:
      return { unexpected: { nested: true } };
  }
}

export function isStringSchema(doc: OpenApiDocument, schema: Schema | undefined): boolean {
  const s = resolve(doc, schema);
  return s.type === 'string' || (s.type === undefined && typeof s.example === 'string');
}

export function isArraySchema(doc: OpenApiDocument, schema: Schema | undefined): boolean {
  return resolve(doc, schema).type === 'array';
}

/** the route's path with every parameter filled from its example (or a uuid) and `override` applied, written raw */
export function fillPath(route: Route, override: Record<string, string> = {}): string {
  return route.template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (name in override) return override[name];
    const param = route.parameters.find((p) => p.in === 'path' && p.name === name);
    const example = param?.example ?? param?.schema?.example;
    return encodeURIComponent(
      typeof example === 'string' || typeof example === 'number' ? String(example) : '3f0c2a4e-3d6b-4a53-9a4a-0b8a5d1f6c11',
    );
  });
}

/** nested arrays `depth` levels deep, written without recursion */
export function deeplyNested(depth: number): string {
  return `{"nested":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}
