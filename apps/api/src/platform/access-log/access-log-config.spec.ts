import { ConfigError, loadConfig } from '../config/app-config.js';

describe('ACCESS_LOG_RETENTION_MONTHS', () => {
  it('defaults to the legal minimum of 6 months and accepts up to 5 years', () => {
    expect(loadConfig({}).ACCESS_LOG_RETENTION_MONTHS).toBe(6);
    expect(loadConfig({ ACCESS_LOG_RETENTION_MONTHS: '60' }).ACCESS_LOG_RETENTION_MONTHS).toBe(60);
  });

  it.each(['5', '61', '12.5', 'a year'])('refuses %s with a sentence naming the variable', (value) => {
    expect(() => loadConfig({ ACCESS_LOG_RETENTION_MONTHS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ACCESS_LOG_RETENTION_MONTHS: value })).toThrow(/ACCESS_LOG_RETENTION_MONTHS/);
  });
});
