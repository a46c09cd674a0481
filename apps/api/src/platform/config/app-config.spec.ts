import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database and the PostgreSQL event store', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.databaseKind).toBe('embedded');
    expect(config.eventStoreKind).toBe('postgres');
    expect(config.DATA_DIR).toBe('./data');
  });

  it('selects PostgreSQL and EventStoreDB from their URLs', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/test', EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' });
    expect(config.databaseKind).toBe('postgres');
    expect(config.eventStoreKind).toBe('eventstoredb');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ EVENTSTORE_URL: 'http://x' }, 'EVENTSTORE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ AUTH_JWT_SECRET: 'short' }, 'AUTH_JWT_SECRET'],
    [{ NODE_ENV: 'production' }, 'AUTH_JWKS_URL'],
    [{ AUTH_JWKS_URL: 'https://idp.example/jwks' }, 'AUTH_ISSUER'],
    // production needs an issuer and an audience whatever the key type (HS256 included)
    [{ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32), PSEUDONYM_KEY: 'k'.repeat(32) }, 'AUTH_ISSUER and AUTH_AUDIENCE'],
    [
      { NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32), PSEUDONYM_KEY: 'k'.repeat(32), AUTH_ISSUER: 'https://idp.example' },
      'AUTH_AUDIENCE',
    ],
    [{ AUTH_TOKEN_MAX_LIFETIME_MINUTES: '0' }, 'AUTH_TOKEN_MAX_LIFETIME_MINUTES'],
    [{ AUTH_TOKEN_MAX_LIFETIME_MINUTES: '2000' }, 'AUTH_TOKEN_MAX_LIFETIME_MINUTES'],
    [{ AUTH_TOKEN_MAX_LIFETIME_MINUTES: 'long' }, 'AUTH_TOKEN_MAX_LIFETIME_MINUTES'],
  ])('refuses %j with a sentence naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('uses a development secret only outside production', () => {
    expect(loadConfig({}).jwtSecret).toBeDefined();
    const production = {
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: 'x'.repeat(32),
      PSEUDONYM_KEY: 'k'.repeat(32),
      AUTH_ISSUER: 'https://idp.example',
      AUTH_AUDIENCE: 'group-course-api',
    };
    expect(loadConfig(production).jwtSecret).toBe('x'.repeat(32));
  });

  it('limits token lifetime to 12 hours unless set otherwise', () => {
    expect(loadConfig({}).AUTH_TOKEN_MAX_LIFETIME_MINUTES).toBe(720);
    expect(loadConfig({ AUTH_TOKEN_MAX_LIFETIME_MINUTES: '60' }).AUTH_TOKEN_MAX_LIFETIME_MINUTES).toBe(60);
  });
});
