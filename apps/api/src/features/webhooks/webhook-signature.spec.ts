import { createHmac } from 'node:crypto';
import { SecretBox } from './secret-box.js';
import { signatureHeader, verifySignature } from './webhook-signature.js';

describe('webhook signatures and secrets', () => {
  const secret = 'whsec_0123456789abcdef0123456789';
  const body = '{"id":"m-1","type":"booking.booked"}';

  it('signs "<timestamp>.<body>" with HMAC-SHA256 and the webhook secret', () => {
    const header = signatureHeader(secret, 1_700_000_000, body);
    expect(header).toBe(`t=1700000000,v1=${createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex')}`);
    expect(verifySignature(secret, header, body, 1_700_000_100)).toBe(true);
    expect(verifySignature(secret, header, `${body} `, 1_700_000_100)).toBe(false);
    expect(verifySignature('another-secret-another-secret', header, body, 1_700_000_100)).toBe(false);
    expect(verifySignature(secret, header, body, 1_700_000_000 + 301)).toBe(false); // too old: a replayed capture
    expect(verifySignature(secret, 'v1=abc', body, 1_700_000_000)).toBe(false);
  });

  it('keeps secrets encrypted, bound to their webhook', () => {
    const box = new SecretBox('server-secret-server-secret-server-secret');
    const sealed = box.seal(secret, 'hook-1');
    expect(sealed.toString('latin1')).not.toContain('whsec_');
    expect(box.open(sealed, 'hook-1')).toBe(secret);
    expect(() => box.open(sealed, 'hook-2')).toThrow(/could not be decrypted/);
    expect(() => new SecretBox('another-server-secret-another-server').open(sealed, 'hook-1')).toThrow(/could not be decrypted/);
  });
});
