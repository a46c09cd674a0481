import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength, validateSync, ValidateBy, ValidationError } from 'class-validator';

const DEV_JWT_SECRET = 'development-only-secret-change-me-0000000000';
const DEV_PSEUDONYM_KEY = 'development-only-pseudonym-key-change-me-000000';

/**
 * Every setting the API reads from the environment, validated once at start-up.
 * A bad value stops the process with a sentence naming the variable (see loadConfig).
 */
export class AppConfig {
  @Transform(({ value }) => (value === undefined || value === '' ? 3000 : Number(value)))
  @IsInt({ message: 'PORT must be a whole number' })
  @Min(0, { message: 'PORT must be between 0 and 65535' })
  @Max(65535, { message: 'PORT must be between 0 and 65535' })
  PORT = 3000;

  @IsOptional()
  @IsUrl(
    { protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true },
    {
      message: 'DATABASE_URL must be a postgres:// URL (leave it unset to use the embedded database)',
    },
  )
  DATABASE_URL?: string;

  /**
   * connections of the API's pool (requests and the background consumers share it; the election and the
   * LISTEN connection come on top). Each request holds one only for a statement at a time.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? 10 : Number(value)))
  @IsInt({ message: 'DATABASE_POOL_SIZE must be a whole number of connections' })
  @Min(2, { message: 'DATABASE_POOL_SIZE must be between 2 and 200' })
  @Max(200, { message: 'DATABASE_POOL_SIZE must be between 2 and 200' })
  DATABASE_POOL_SIZE = 10;

  /**
   * append statements in flight at once (PostgreSQL event store): appends that arrive while all are busy go
   * together in one statement and one commit (group commit). 0 sends each append alone.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? 2 : Number(value)))
  @IsInt({ message: 'APPEND_STATEMENTS must be a whole number' })
  @Min(0, { message: 'APPEND_STATEMENTS must be between 0 and 64' })
  @Max(64, { message: 'APPEND_STATEMENTS must be between 0 and 64' })
  APPEND_STATEMENTS = 2;

  @IsString()
  @MinLength(1, { message: 'DATA_DIR must name a folder' })
  DATA_DIR = './data';

  @IsOptional()
  @IsUrl(
    { protocols: ['esdb', 'esdb+discover', 'kurrentdb', 'kurrentdb+discover'], require_tld: false, require_protocol: true },
    {
      message: 'EVENTSTORE_URL must be an esdb:// connection string (leave it unset to keep events in PostgreSQL)',
    },
  )
  EVENTSTORE_URL?: string;

  @IsIn(['development', 'test', 'production'], { message: 'NODE_ENV must be development, test or production' })
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  @IsOptional()
  @IsUrl({ require_tld: false }, { message: "AUTH_JWKS_URL must be an https URL of the identity provider's JWKS" })
  AUTH_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  AUTH_ISSUER?: string;

  @IsOptional()
  @IsString()
  AUTH_AUDIENCE?: string;

  /** longest an access token may be valid (its exp − iat, and its exp − now), in minutes: default 12 hours */
  @Transform(({ value }) => (value === undefined || value === '' ? 720 : Number(value)))
  @IsInt({ message: 'AUTH_TOKEN_MAX_LIFETIME_MINUTES must be a whole number of minutes' })
  @Min(1, { message: 'AUTH_TOKEN_MAX_LIFETIME_MINUTES must be between 1 and 1440 (24 hours)' })
  @Max(1440, { message: 'AUTH_TOKEN_MAX_LIFETIME_MINUTES must be between 1 and 1440 (24 hours)' })
  AUTH_TOKEN_MAX_LIFETIME_MINUTES = 720;

  /** pause between sweeps that expire seat offers past their hold (0 turns the sweeper off) */
  @Transform(({ value }) => (value === undefined || value === '' ? 60_000 : Number(value)))
  @IsInt({ message: 'OFFER_SWEEP_INTERVAL_MS must be a whole number of milliseconds (0 turns the sweeper off)' })
  @Min(0, { message: 'OFFER_SWEEP_INTERVAL_MS must be 0 (off) or more' })
  OFFER_SWEEP_INTERVAL_MS = 60_000;

  /** pause between passes of the webhook delivery worker (0 turns it off) */
  @Transform(({ value }) => (value === undefined || value === '' ? 5_000 : Number(value)))
  @IsInt({ message: 'WEBHOOK_DELIVERY_INTERVAL_MS must be a whole number of milliseconds (0 turns webhook delivery off)' })
  @Min(0, { message: 'WEBHOOK_DELIVERY_INTERVAL_MS must be 0 (off) or more' })
  WEBHOOK_DELIVERY_INTERVAL_MS = 5_000;

  /**
   * waits between webhook delivery attempts (after the first attempt fails, after the second, …): comma-separated
   * durations with s, m, h or d; attempts = entries + 1, after the last a dead letter. The default (the Standard
   * Webhooks schedule) retries for 27 h 35 min, so a receiver down for a day loses nothing.
   */
  @ValidateBy({
    name: 'retrySchedule',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseRetrySchedule(value) !== undefined,
      defaultMessage: () => 'WEBHOOK_RETRY_SCHEDULE must be 1–20 comma-separated waits such as 5s,5m,30m,2h,5h,10h,10h (each 1 s – 7 d)',
    },
  })
  WEBHOOK_RETRY_SCHEDULE = DEFAULT_WEBHOOK_RETRY_SCHEDULE;

  /** after a webhook secret is rotated, the previous one keeps signing (beside the new one) this many hours unless the request says otherwise */
  @Transform(({ value }) => (value === undefined || value === '' ? 24 : Number(value)))
  @IsInt({ message: 'WEBHOOK_SECRET_OVERLAP_HOURS must be a whole number of hours' })
  @Min(0, { message: 'WEBHOOK_SECRET_OVERLAP_HOURS must be between 0 and 720 (30 days)' })
  @Max(720, { message: 'WEBHOOK_SECRET_OVERLAP_HOURS must be between 0 and 720 (30 days)' })
  WEBHOOK_SECRET_OVERLAP_HOURS = 24;

  /** production: host names (comma-separated) webhooks may reach although they resolve to internal addresses, e.g. the hospital's integration engine */
  @IsOptional()
  @ValidateBy({
    name: 'hostList',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        value.split(',').every((h) => /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:.]+\]?$/.test(h.trim())),
      defaultMessage: () => 'WEBHOOK_ALLOWED_INTERNAL_HOSTS must be comma-separated host names such as engine.region.internal',
    },
  })
  WEBHOOK_ALLOWED_INTERNAL_HOSTS?: string;

  get webhookRetryDelaysMs(): number[] {
    // validated when the configuration loads; the default is well-formed (the unit tests parse it), so `[]` is never reached
    return parseRetrySchedule(this.WEBHOOK_RETRY_SCHEDULE) ?? parseRetrySchedule(DEFAULT_WEBHOOK_RETRY_SCHEDULE) ?? [];
  }

  get webhookAllowedInternalHosts(): string[] {
    return (this.WEBHOOK_ALLOWED_INTERNAL_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
  }

  /** how long one write keeps re-deciding after losing races for its stream (after 3 tries) before it answers 409 CONCURRENCY_CONFLICT */
  @Transform(({ value }) => (value === undefined || value === '' ? 10_000 : Number(value)))
  @IsInt({ message: 'WRITE_RETRY_BUDGET_MS must be a whole number of milliseconds' })
  @Min(0, { message: 'WRITE_RETRY_BUDGET_MS must be between 0 and 60000 milliseconds' })
  @Max(60_000, { message: 'WRITE_RETRY_BUDGET_MS must be between 0 and 60000 milliseconds' })
  WRITE_RETRY_BUDGET_MS = 10_000;

  /** key for the keyed hash that finds a patient by CPR number without storing it in events */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'PSEUDONYM_KEY must be at least 32 characters' })
  PSEUDONYM_KEY?: string;

  /** how long the access log (who looked up which patient) is kept: at least 6 months by law, at most 5 years */
  @Transform(({ value }) => (value === undefined || value === '' ? 6 : Number(value)))
  @IsInt({ message: 'ACCESS_LOG_RETENTION_MONTHS must be a whole number of months' })
  @Min(6, { message: 'ACCESS_LOG_RETENTION_MONTHS must be between 6 (the legal minimum) and 60 (5 years)' })
  @Max(60, { message: 'ACCESS_LOG_RETENTION_MONTHS must be between 6 (the legal minimum) and 60 (5 years)' })
  ACCESS_LOG_RETENTION_MONTHS = 6;

  /** requests one client address may make per RATE_LIMIT_WINDOW_MS; 0 turns rate limiting off (default 3000, off when NODE_ENV=test) */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'RATE_LIMIT_MAX must be a whole number of requests (0 turns rate limiting off)' })
  @Min(0, { message: 'RATE_LIMIT_MAX must be 0 (off) or more' })
  RATE_LIMIT_MAX?: number;

  @Transform(({ value }) => (value === undefined || value === '' ? 60_000 : Number(value)))
  @IsInt({ message: 'RATE_LIMIT_WINDOW_MS must be a whole number of milliseconds' })
  @Min(1000, { message: 'RATE_LIMIT_WINDOW_MS must be between 1000 and 3600000' })
  @Max(3_600_000, { message: 'RATE_LIMIT_WINDOW_MS must be between 1000 and 3600000' })
  RATE_LIMIT_WINDOW_MS = 60_000;

  /** largest JSON request body accepted, in KiB (413 above it) */
  @Transform(({ value }) => (value === undefined || value === '' ? 256 : Number(value)))
  @IsInt({ message: 'BODY_LIMIT_KB must be a whole number of KiB' })
  @Min(1, { message: 'BODY_LIMIT_KB must be between 1 and 10240' })
  @Max(10_240, { message: 'BODY_LIMIT_KB must be between 1 and 10240' })
  BODY_LIMIT_KB = 256;

  get rateLimitMax(): number {
    return this.RATE_LIMIT_MAX ?? (this.NODE_ENV === 'test' ? 0 : 3000);
  }

  get databaseKind(): 'postgres' | 'embedded' {
    return this.DATABASE_URL ? 'postgres' : 'embedded';
  }

  get eventStoreKind(): 'postgres' | 'eventstoredb' {
    return this.EVENTSTORE_URL ? 'eventstoredb' : 'postgres';
  }

  /** HS256 secret when no JWKS is configured; outside production a fixed development secret. */
  get jwtSecret(): string | undefined {
    if (this.AUTH_JWKS_URL) return undefined;
    return this.AUTH_JWT_SECRET ?? (this.NODE_ENV === 'production' ? undefined : DEV_JWT_SECRET);
  }

  /** Key of the CPR keyed hash (and, derived from it, of the CPR encryption); outside production a fixed development key. */
  /** key of the HMAC over idempotent request bodies (they may hold a CPR number) */
  get requestHashKey(): string {
    return `request-hash:${this.pseudonymKey ?? this.jwtSecret ?? 'unset'}`;
  }

  get pseudonymKey(): string | undefined {
    return this.PSEUDONYM_KEY ?? (this.NODE_ENV === 'production' ? undefined : DEV_PSEUDONYM_KEY);
  }
}

export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `5s,5m,2h` → [5000, 300000, 7200000]; undefined when malformed, empty, over 20 entries or a wait outside 1 s – 7 d */
export function parseRetrySchedule(text: string): number[] | undefined {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.length > 20) return undefined;
  const delays: number[] = [];
  for (const part of parts) {
    const m = /^(\d{1,6})\s*([smhd])$/.exec(part);
    if (!m) return undefined;
    const ms = Number(m[1]) * UNIT_MS[m[2]];
    if (ms < 1_000 || ms > 7 * 86_400_000) return undefined;
    delays.push(ms);
  }
  return delays;
}

export class ConfigError extends Error {}

/** One sentence per bad variable, quoting what was given (not what it was coerced to). */
function describe(errors: ValidationError[], env: NodeJS.ProcessEnv): string[] {
  return errors.map((e) => {
    const first = Object.values(e.constraints ?? {})[0] ?? `${e.property} is invalid`;
    return `${first} (got ${JSON.stringify(env[e.property] ?? null)}).`;
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, defined, { excludeExtraneousValues: false });
  const problems = describe(validateSync(config, { skipMissingProperties: false }), defined);
  if (config.NODE_ENV === 'production' && !config.AUTH_JWKS_URL && !config.AUTH_JWT_SECRET) {
    problems.push('In production set AUTH_JWKS_URL (with AUTH_ISSUER and AUTH_AUDIENCE) or AUTH_JWT_SECRET.');
  }
  if (config.AUTH_JWKS_URL && (!config.AUTH_ISSUER || !config.AUTH_AUDIENCE)) {
    problems.push('AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE as well.');
  } else if (config.NODE_ENV === 'production' && (!config.AUTH_ISSUER || !config.AUTH_AUDIENCE)) {
    // whatever the key type: a token minted for another service with the same secret must not be accepted here
    problems.push('In production set AUTH_ISSUER and AUTH_AUDIENCE (tokens are accepted only from that issuer and for that audience).');
  }
  if (config.NODE_ENV === 'production' && !config.PSEUDONYM_KEY) {
    problems.push('In production set PSEUDONYM_KEY (32+ characters) for patient look-ups.');
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration: ${problems.join(' ')}`);
  }
  return config;
}
