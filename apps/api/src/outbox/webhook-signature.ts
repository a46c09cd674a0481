import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>` (the scheme Stripe and Svix made usual). */
export const SIGNATURE_HEADER = 'x-webhook-signature';
/** The same timestamp on its own, for receivers that log it. */
export const TIMESTAMP_HEADER = 'x-webhook-timestamp';

/**
 * HMAC-SHA256 with the webhook's secret over `<timestamp>.<body>` (the exact bytes sent). Signing the
 * timestamp with the body lets a receiver refuse a captured request replayed later (check that `t` is
 * recent) while still verifying the body was not changed.
 */
export function sign(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
}

export function signatureHeader(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${sign(secret, timestampSeconds, body)}`;
}

/** What a receiver does (used by the tests): parse the header, recompute, compare in constant time, check the age. */
export function verifySignature(secret: string, header: string | undefined, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, t, body), 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
