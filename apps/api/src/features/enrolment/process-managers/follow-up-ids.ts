import { createHash } from 'node:crypto';

/** Namespace of every follow-up event id (a fixed, random uuid; never change it: ids must stay stable). */
const NAMESPACE = Buffer.from('6f0c5a4e8d2b4c1f9a7e3b5d1c0f2e84', 'hex');

/**
 * A deterministic event id (RFC 4122 version 5: SHA-1 of a namespace and a name) for the `index`-th
 * event a follow-up writes because of `sourceEventId`. Whoever writes the follow-up (the request inline,
 * or the process manager after a crash) derives the same id, so the follow-up is written once.
 */
export function followUpEventId(sourceEventId: string, purpose: string, index = 0): string {
  const bytes = createHash('sha1').update(NAMESPACE).update(`${sourceEventId.toLowerCase()}/${purpose}/${index}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
