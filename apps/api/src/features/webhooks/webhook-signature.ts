import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>` (the scheme Stripe and Svix made usual). */
export const SIGNATURE_HEADER = 'x-webhook-signature';
/** The same timestamp on its own, for receivers that log it. */
export const TIMESTAMP_HEADER = 'x-webhook-timestamp';

/** Standard Webhooks (standardwebhooks.com) headers, sent beside ours */
export const STANDARD_ID_HEADER = 'webhook-id';
export const STANDARD_TIMESTAMP_HEADER = 'webhook-timestamp';
export const STANDARD_SIGNATURE_HEADER = 'webhook-signature';

/**
 * HMAC-SHA256 with the webhook's secret over `<timestamp>.<body>` (the exact bytes sent). Signing the
 * timestamp with the body lets a receiver refuse a captured request replayed later (check that `t` is
 * recent) while still verifying the body was not changed.
 */
export function sign(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
}

/**
 * `t=<ts>,v1=<hex>`; while a rotated-out secret still signs, one `v1=` per secret (the current one first):
 * a receiver accepts the request when any `v1` matches its secret.
 */
export function signatureHeader(secrets: string | readonly string[], timestampSeconds: number, body: string): string {
  const all = typeof secrets === 'string' ? [secrets] : secrets;
  return [`t=${timestampSeconds}`, ...all.map((s) => `v1=${sign(s, timestampSeconds, body)}`)].join(',');
}

/** What a receiver does (used by the tests): parse the header, recompute, compare in constant time, check the age. */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = (header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string?]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const given = parts.flatMap(([k, v]) => (k === 'v1' && v ? [Buffer.from(v, 'hex')] : []));
  if (!Number.isInteger(t) || given.length === 0 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, t, body), 'hex');
  return given.some((g) => g.length === expected.length && timingSafeEqual(g, expected));
}

const STANDARD_SECRET = /^whsec_((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$/;

/**
 * The Standard Webhooks signing key of a secret: `whsec_<base64>` (the specification's form) is the
 * base64-decoded bytes, as the specification's libraries read it (`new Webhook(secret)`); any other secret
 * is used as its own UTF-8 bytes (a receiver then uses `new Webhook(secret, { format: 'raw' })`).
 */
export function standardKey(secret: string): Buffer {
  const m = STANDARD_SECRET.exec(secret);
  if (m && m[1].length >= 4) return Buffer.from(m[1], 'base64');
  return Buffer.from(secret, 'utf8');
}

/** `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, space-separated, one per signing secret */
export function standardSignature(secrets: readonly string[], messageId: string, timestampSeconds: number, body: string): string {
  return secrets
    .map((s) => `v1,${createHmac('sha256', standardKey(s)).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')}`)
    .join(' ');
}

/** Every signing header of one request: ours (`x-webhook-*`) and the Standard Webhooks ones. */
export function signingHeaders(
  secrets: readonly string[],
  messageId: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  return {
    [TIMESTAMP_HEADER]: String(timestampSeconds),
    [SIGNATURE_HEADER]: signatureHeader(secrets, timestampSeconds, body),
    [STANDARD_ID_HEADER]: messageId,
    [STANDARD_TIMESTAMP_HEADER]: String(timestampSeconds),
    [STANDARD_SIGNATURE_HEADER]: standardSignature(secrets, messageId, timestampSeconds, body),
  };
}
