import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Every answer the API gives in an e2e test is checked against the OpenAPI document it serves at
 * /docs-json: the operation (path template and method) must document the status, the Content-Type
 * must be one the document lists for that status, and a JSON body must validate against the documented
 * schema (Ajv, JSON Schema with OpenAPI 3.0's `nullable` translated). A violation is recorded here and
 * fails the running test (see conformance-hooks.ts), so a route that answers something its document does
 * not say fails `npm test`.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface OpenApiDocument {
  paths: Partial<Record<string, Partial<Record<string, JsonObject>>>>;
  components?: { schemas?: Record<string, Json> };
}

export interface ConformanceViolation {
  readonly method: string;
  readonly url: string;
  readonly operation: string;
  readonly status: number;
  readonly problem: string;
}

// ajv-formats is CommonJS with `exports.default`; under ESM jest the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

interface Operation {
  readonly template: string;
  readonly method: string;
  readonly responses: Partial<Record<string, JsonObject>>;
}

interface Route {
  readonly template: string;
  readonly pattern: RegExp;
  readonly literalLength: number;
}

/** The checker for one OpenAPI document (compiled schemas are cached per document text). */
export class OpenApiConformance {
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, logger: false });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'openapi', components: { schemas: toJsonSchema(document.components?.schemas ?? {}) } });
    this.routes = Object.keys(document.paths)
      .map((template) => ({
        template,
        pattern: new RegExp(
          `^${template
            .split(/(\{[^}]+\})/)
            .map((part) => (part.startsWith('{') ? '([^/]+)' : escapeRegExp(part)))
            .join('')}$`,
        ),
        literalLength: template.replace(/\{[^}]+\}/g, '').length,
      }))
      // the most literal template first, as the routers register `…/:id.ics` before `…/:id`
      .sort((a, b) => b.literalLength - a.literalLength);
  }

  /** The documented operation for a request: Express's matched route if it has one, else the path. */
  operation(method: string, path: string, expressRoute?: string): Operation | undefined {
    const lower = method.toLowerCase();
    const candidates = expressRoute ? [expressRoute.replace(/:([A-Za-z0-9_]+)/g, '{$1}')] : [];
    for (const route of this.routes) if (route.pattern.test(path)) candidates.push(route.template);
    for (const template of candidates) {
      const responses = this.document.paths[template]?.[lower]?.['responses'];
      if (responses && typeof responses === 'object') {
        return { template, method: lower, responses: responses as Partial<Record<string, JsonObject>> };
      }
    }
    return undefined;
  }

  /** Problems of one answer against its operation's documentation; [] when it conforms. */
  check(operation: Operation, status: number, contentType: string | undefined, body: Buffer): string[] {
    const documented =
      operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`] ?? operation.responses['default'];
    if (!documented) {
      return [`status ${status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`];
    }
    const content = (documented['content'] ?? undefined) as Partial<Record<string, JsonObject>> | undefined;
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    if (!content || Object.keys(content).length === 0) {
      return body.length === 0
        ? []
        : [`status ${status} is documented without a body, but ${mediaType ?? 'a body'} of ${body.length} bytes was sent`];
    }
    if (body.length === 0 && status === 304) return [];
    if (!mediaType) return [`status ${status} sent no Content-Type (documented: ${Object.keys(content).join(', ')})`];
    const media = content[mediaType] ?? content[`${mediaType.split('/')[0]}/*`] ?? content['*/*'];
    if (!media) {
      return [`status ${status} was sent as ${mediaType}, documented as ${Object.keys(content).join(', ')}`];
    }
    const schema = media['schema'];
    if (!schema || !isJsonMedia(mediaType)) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return [`status ${status} was sent as ${mediaType} but the body is not JSON`];
    }
    const key = `${operation.method} ${operation.template} ${status} ${mediaType}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as object);
      this.validators.set(key, validate);
    }
    if (validate(parsed)) return [];
    return (validate.errors ?? []).slice(0, 8).map((error) => {
      const value = valueAt(parsed, error.instancePath);
      return `body${error.instancePath || ''} ${error.message ?? 'is invalid'} (schema ${error.schemaPath}; value ${preview(value)})`;
    });
  }
}

const checkers = new Map<string, OpenApiConformance>();
const recorded: ConformanceViolation[] = [];
const unmatched = new Set<string>();

/** Violations recorded since the last call (the hook in conformance-hooks.ts fails the test with them). */
export function takeConformanceViolations(): ConformanceViolation[] {
  return recorded.splice(0, recorded.length);
}

/** Requests that matched no documented operation (unknown routes), for diagnostics. */
export function unmatchedRequests(): readonly string[] {
  return [...unmatched];
}

/**
 * Watches every answer of `server` against `documentText` (the JSON of GET /docs-json). Answers the
 * HTTP parser gives itself (client-errors.ts) and requests to paths the document does not have (unknown
 * routes, which answer 404 in the contract's error shape) are outside any operation and not checked here.
 */
export function watchConformance(server: Server, documentText: string): void {
  let checker = checkers.get(documentText);
  if (!checker) {
    checker = new OpenApiConformance(JSON.parse(documentText) as OpenApiDocument);
    checkers.set(documentText, checker);
  }
  const conformance = checker;
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    res.write = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      return write(...args);
    }) as typeof res.write;
    res.end = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      return end(...args);
    }) as typeof res.end;
    res.once('finish', () => {
      const method = req.method ?? 'GET';
      if (method === 'HEAD' || method === 'OPTIONS') return;
      const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
      const path = url.split('?')[0] ?? '/';
      const expressRoute = (req as { route?: { path?: unknown } }).route?.path;
      const operation = conformance.operation(method, path, typeof expressRoute === 'string' ? expressRoute : undefined);
      if (!operation) {
        unmatched.add(`${method} ${path.slice(0, 120)} → ${res.statusCode}`);
        return;
      }
      const contentType = res.getHeader('content-type');
      for (const problem of conformance.check(
        operation,
        res.statusCode,
        typeof contentType === 'string' ? contentType : undefined,
        Buffer.concat(chunks),
      )) {
        recorded.push({
          method,
          url: url.length > 160 ? `${url.slice(0, 160)}…` : url,
          operation: `${method} ${operation.template}`,
          status: res.statusCode,
          problem,
        });
      }
    });
  });
}

/** OpenAPI 3.0 schema → JSON Schema: `nullable: true` becomes "or null"; refs point into the registered components. */
function toJsonSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'example' || key === 'examples') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/')) out[key] = `openapi${value}`;
    else if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, toJsonSchema(property)]));
    } else out[key] = toJsonSchema(value);
  }
  return schema['nullable'] === true ? { anyOf: [out, { type: 'null' }] } : out;
}

function isJsonMedia(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const part of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

function preview(value: unknown): string {
  const text = (JSON.stringify(value) as string | undefined) ?? String(value); // undefined for undefined and functions
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
