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
  ])('refuses %j with a sentence naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('uses a development secret only outside production', () => {
    expect(loadConfig({}).jwtSecret).toBeDefined();
    expect(loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32), PSEUDONYM_KEY: 'k'.repeat(32) }).jwtSecret).toBe('x'.repeat(32));
  });
});
