import { DEFAULT_WEBHOOK_RETRY_SCHEDULE, loadConfig, parseRetrySchedule } from '../../platform/config/app-config.js';
import { resolveTarget, targetPolicyFor, TargetRefused, type Resolver } from './webhook-target.js';
import { standardKey } from './webhook-signature.js';

/** a resolver that never asks DNS: names map to fixed answers; anything else has no address */
const stub =
  (answers: Record<string, string[]>): Resolver =>
  async (host) =>
    (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

const production = targetPolicyFor('production', ['engine.region.internal']);

async function refusal(url: string, resolver: Resolver = stub({}), policy = production): Promise<TargetRefused | undefined> {
  try {
    await resolveTarget(policy, new URL(url), resolver);
    return undefined;
  } catch (error) {
    if (error instanceof TargetRefused) return error;
    throw error;
  }
}

describe('webhook targets (issue 12 part 6)', () => {
  it('production: every private, loopback, link-local, unique-local, mapped or otherwise non-public address is refused with WEBHOOK_TARGET_NOT_ALLOWED', async () => {
    const refused = [
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.5/',
      'https://172.16.0.1/',
      'https://172.31.255.254/',
      'https://192.168.1.10/',
      'https://127.0.0.1/',
      'https://127.1.2.3/',
      'https://[::1]/',
      'https://[fd00::1]/',
      'https://[fc00::5]/',
      'https://[fe80::1]/',
      'https://[::ffff:169.254.169.254]/',
      'https://[::ffff:10.0.0.1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://0.0.0.0/',
      'https://[::]/',
      'https://100.64.0.1/',
      'https://224.0.0.1/',
      'https://255.255.255.255/',
      'https://192.0.2.10/',
      'https://[fec0::1]/',
      'https://[::127.0.0.1]/',
      'https://[64:ff9b::a00:1]/',
      'https://[2002:a00:1::]/',
      'https://2130706433/', // 127.0.0.1 written as a number (the URL parser normalises it)
      'https://0x7f.1/',
      'https://017700000001/',
    ];
    for (const url of refused) {
      const r = await refusal(url);
      expect([url, r?.code]).toEqual([url, 'WEBHOOK_TARGET_NOT_ALLOWED']);
      expect(r?.message).toMatch(/public internet addresses|never sent/);
    }
    const r = (await refusal('https://169.254.169.254/latest/meta-data/'))?.toApiError();
    expect(r?.statusCode).toBe(422);
    expect(r?.message).toContain('link-local');
  });

  it('production: https only; public addresses pass, also as IPv6; a name is judged by every address it resolves to', async () => {
    expect((await refusal('http://93.184.216.34/hook'))?.code).toBe('WEBHOOK_HTTPS_REQUIRED');
    expect(await refusal('https://93.184.216.34/hook')).toBeUndefined();
    expect(await refusal('https://[2606:2800:220:1:248:1893:25c8:1946]/hook')).toBeUndefined();
    const resolver = stub({
      'hooks.example.org': ['93.184.216.34'],
      'rebind.example.org': ['93.184.216.34', '10.1.2.3'],
      'meta.example.org': ['169.254.169.254'],
    });
    expect(await resolveTarget(production, new URL('https://hooks.example.org/x'), resolver)).toEqual({
      address: '93.184.216.34',
      family: 4,
    });
    expect((await refusal('https://rebind.example.org/x', resolver))?.details).toMatchObject({
      host: 'rebind.example.org',
      address: '10.1.2.3',
      range: 'private',
    });
    expect((await refusal('https://meta.example.org/x', resolver))?.details).toMatchObject({ range: 'linkLocal' });
    expect((await refusal('https://nowhere.example.org/x', resolver))?.code).toBe('WEBHOOK_TARGET_UNRESOLVABLE');
  });

  it('production: an allow-listed internal host may be private or loopback, never link-local or unspecified; still https', async () => {
    expect(await refusal('https://engine.region.internal/hl7', stub({ 'engine.region.internal': ['10.20.30.40'] }))).toBeUndefined();
    expect(await refusal('https://ENGINE.region.internal/hl7', stub({ 'engine.region.internal': ['fd12::7'] }))).toBeUndefined();
    expect((await refusal('https://engine.region.internal/hl7', stub({ 'engine.region.internal': ['169.254.169.254'] })))?.message).toMatch(
      /never sent/,
    );
    expect((await refusal('https://engine.region.internal/hl7', stub({ 'engine.region.internal': ['0.0.0.0'] })))?.code).toBe(
      'WEBHOOK_TARGET_NOT_ALLOWED',
    );
    expect((await refusal('http://engine.region.internal/hl7', stub({ 'engine.region.internal': ['10.20.30.40'] })))?.code).toBe(
      'WEBHOOK_HTTPS_REQUIRED',
    );
    // another name resolving to the same private address is not allow-listed
    expect((await refusal('https://other.region.internal/hl7', stub({ 'other.region.internal': ['10.20.30.40'] })))?.message).toMatch(
      /WEBHOOK_ALLOWED_INTERNAL_HOSTS/,
    );
  });

  it('tests: loopback only and no DNS; development: anything, loopback included', async () => {
    const test = targetPolicyFor('test');
    const never: Resolver = async () => {
      throw new Error('no DNS in tests');
    };
    expect(await refusal('http://127.0.0.1:9/x', never, test)).toBeUndefined();
    expect(await refusal('http://[::1]:9/x', never, test)).toBeUndefined();
    expect(await refusal('http://localhost:9/x', never, test)).toBeUndefined();
    expect((await refusal('https://calendar.hospital.example/x', never, test))?.code).toBe('WEBHOOK_TARGET_NOT_ALLOWED');
    expect((await refusal('http://10.0.0.5/x', never, test))?.code).toBe('WEBHOOK_TARGET_NOT_ALLOWED');
    const development = targetPolicyFor('development');
    expect(await refusal('http://127.0.0.1:9/x', never, development)).toBeUndefined();
    expect(await refusal('http://10.0.0.5/x', never, development)).toBeUndefined();
  });

  it('settings: the default retry schedule spans more than a day; bad schedules and host lists stop the start with a sentence', () => {
    const delays = parseRetrySchedule(DEFAULT_WEBHOOK_RETRY_SCHEDULE) ?? [];
    expect(delays.reduce((a, b) => a + b, 0)).toBeGreaterThan(86_400_000);
    expect(loadConfig({ NODE_ENV: 'test' }).webhookRetryDelaysMs).toEqual(delays);
    expect(loadConfig({ NODE_ENV: 'test', WEBHOOK_RETRY_SCHEDULE: '1m, 2h,1d' }).webhookRetryDelaysMs).toEqual([
      60_000, 7_200_000, 86_400_000,
    ]);
    expect(() => loadConfig({ NODE_ENV: 'test', WEBHOOK_RETRY_SCHEDULE: '5x' })).toThrow(/WEBHOOK_RETRY_SCHEDULE must be/);
    expect(() => loadConfig({ NODE_ENV: 'test', WEBHOOK_RETRY_SCHEDULE: '8d' })).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
    expect(() => loadConfig({ NODE_ENV: 'test', WEBHOOK_SECRET_OVERLAP_HOURS: '1000' })).toThrow(/WEBHOOK_SECRET_OVERLAP_HOURS/);
    expect(
      loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOWED_INTERNAL_HOSTS: 'Engine.Region.internal, 10.0.0.9' }).webhookAllowedInternalHosts,
    ).toEqual(['engine.region.internal', '10.0.0.9']);
    expect(() => loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOWED_INTERNAL_HOSTS: 'http://x/' })).toThrow(/WEBHOOK_ALLOWED_INTERNAL_HOSTS/);
  });

  it('Standard Webhooks key: whsec_ + base64 is decoded, anything else is its own bytes', () => {
    expect(standardKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toEqual(Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'));
    expect(standardKey('plain-secret-plain-secret!')).toEqual(Buffer.from('plain-secret-plain-secret!'));
  });
});
