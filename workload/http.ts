import { mintDevelopmentToken } from '../apps/api/src/platform/auth/mint-token.js';
import type { Role } from '../apps/api/src/platform/auth/actor.js';

/** The API's development secret (apps/api/src/platform/config/app-config.ts), used when no AUTH_JWT_SECRET is given. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-change-me-0000000000';

export interface ApiAnswer<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
  /** attempts made (1 = answered at once) */
  readonly attempts: number;
}

export interface RequestOptions {
  /** who sends it: a role and a staff id (the token's `sub`) */
  readonly as: { readonly role: Role; readonly sub: string };
  /** Idempotency-Key: the same key is sent on every retry */
  readonly key?: string;
  readonly headers?: Record<string, string>;
  /** told about each failed attempt that will be retried (a network error or a 5xx/429), with when it was sent and answered */
  readonly onFailure?: (failure: string, sentAt: number, failedAt: number) => void;
}

export interface ApiClientOptions {
  readonly baseUrl: string;
  readonly clinicId?: string;
  readonly jwtSecret?: string;
  /**
   * Retry a request (same Idempotency-Key) after a network error, a 5xx or a 429 until this many ms have
   * passed since the first attempt; 0 = one attempt only, 5xx answers are returned as they are.
   */
  readonly retryForMs?: number;
  /** per-attempt time limit (default 30 s) */
  readonly attemptTimeoutMs?: number;
  /** called for each failed attempt that will be retried */
  readonly onRetry?: (what: string, reason: string) => void;
}

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\])$/;

/** Throws unless the URL points at this machine (load and fault tests send traffic to loopback only). */
export function assertLoopback(baseUrl: string): URL {
  const url = new URL(baseUrl);
  if (!LOOPBACK.test(url.hostname))
    throw new Error(`Refusing to send load to ${url.hostname}: only loopback addresses (127.0.0.0/8, localhost, [::1]) are allowed.`);
  return url;
}

/**
 * A small HTTP client for the API over loopback: bearer tokens per role, Idempotency-Key, and (optionally)
 * retries with the same key until a non-5xx answer, the way a careful front end would behave.
 */
export class ApiClient {
  readonly baseUrl: string;
  private readonly tokens = new Map<string, Promise<string>>();
  private readonly clinicId: string;
  private readonly secret: string;
  private readonly retryForMs: number;
  private readonly attemptTimeoutMs: number;
  /** requests sent (attempts), and retried attempts */
  sent = 0;
  retried = 0;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = assertLoopback(options.baseUrl).toString().replace(/\/$/, '');
    this.clinicId = options.clinicId ?? 'smertecenter-syd';
    this.secret = options.jwtSecret ?? DEVELOPMENT_JWT_SECRET;
    this.retryForMs = options.retryForMs ?? 0;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
  }

  token(role: Role, sub: string): Promise<string> {
    const id = `${role}/${sub}`;
    let token = this.tokens.get(id);
    if (!token) {
      token = mintDevelopmentToken(this.secret, { sub, roles: [role], clinicId: this.clinicId, expiresIn: '12h' });
      this.tokens.set(id, token);
    }
    return token;
  }

  get<T = unknown>(path: string, options: RequestOptions): Promise<ApiAnswer<T>> {
    return this.send<T>('GET', path, undefined, options);
  }

  post<T = unknown>(path: string, body: unknown, options: RequestOptions): Promise<ApiAnswer<T>> {
    return this.send<T>('POST', path, body, options);
  }

  put<T = unknown>(path: string, body: unknown, options: RequestOptions): Promise<ApiAnswer<T>> {
    return this.send<T>('PUT', path, body, options);
  }

  delete<T = unknown>(path: string, body: unknown, options: RequestOptions): Promise<ApiAnswer<T>> {
    return this.send<T>('DELETE', path, body, options);
  }

  async send<T = unknown>(method: string, path: string, body: unknown, options: RequestOptions): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.token(options.as.role, options.as.sub)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.key ? { 'idempotency-key': options.key } : {}),
      ...options.headers,
    };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      this.sent++;
      const sentAt = Date.now();
      let failure: string;
      let retryAfterMs = 0;
      try {
        const response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers,
          body: payload,
          signal: AbortSignal.timeout(this.attemptTimeoutMs),
        });
        const text = await response.text();
        const parsed =
          text.length > 0 && (response.headers.get('content-type') ?? '').includes('json')
            ? (JSON.parse(text) as T)
            : (text as unknown as T);
        if (response.status < 500 && response.status !== 429)
          return { status: response.status, body: parsed, headers: response.headers, attempts: attempt };
        if (this.retryForMs <= 0) return { status: response.status, body: parsed, headers: response.headers, attempts: attempt };
        failure = `HTTP ${response.status}`;
        if (response.status === 429) retryAfterMs = Math.min(60_000, 1000 * Number(response.headers.get('retry-after') ?? 1));
      } catch (error) {
        failure = describeFailure(error);
        if (this.retryForMs <= 0) throw error;
      }
      if (Date.now() - started > this.retryForMs) {
        throw new Error(`${method} ${path} got no answer other than ${failure} within ${this.retryForMs} ms (${attempt} attempts).`);
      }
      this.retried++;
      this.options.onRetry?.(`${method} ${path}`, failure);
      options.onFailure?.(failure, sentAt, Date.now());
      // back off: 50 ms doubling to 1 s, with jitter
      const delay = Math.max(retryAfterMs, Math.min(1000, 50 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random() / 2));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error.name || error.message);
}

/** Runs `work` over `items` with at most `limit` in flight; the first error stops new work and is thrown. */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
      while (failed === undefined) {
        const i = next++;
        if (i >= items.length) return;
        try {
          await work(items[i], i);
        } catch (error) {
          failed ??= error;
        }
      }
    }),
  );
  if (failed !== undefined) throw failed instanceof Error ? failed : new Error(JSON.stringify(failed));
}
