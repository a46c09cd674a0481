import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ApiError } from '../../platform/http/api-error.js';

/**
 * Where webhooks may be sent (issue 12 part 6): a registered URL is checked when it is registered AND again
 * at every delivery, after DNS resolution, and the delivery connects to exactly the address that was checked
 * (webhook-transport.ts pins it), so a name that later resolves to a private address (DNS rebinding) is
 * refused as well. Redirects are never followed.
 *
 * - production: `https` only, and only public unicast addresses. Refused: 0.0.0.0/8, 10/8, 100.64/10, 127/8,
 *   169.254/16, 172.16/12, 192.168/16, reserved, documentation, multicast and broadcast ranges; ::, ::1,
 *   fc00::/7, fe80::/10, fec0::/10, multicast, IPv4-mapped (::ffff:0:0/96, judged as the IPv4 address it
 *   maps), IPv4-compatible (::/96), NAT64, 6to4 and Teredo (they can carry a private IPv4 address), and
 *   everything else `ipaddr.js` does not call `unicast`. A host named in WEBHOOK_ALLOWED_INTERNAL_HOSTS (a
 *   hospital's integration engine) may resolve to private, loopback or unique-local addresses; link-local,
 *   unspecified, multicast and broadcast stay refused even for it (the cloud metadata service lives at
 *   169.254.169.254).
 * - test (NODE_ENV=test): loopback only (127.0.0.0/8, ::1), http or https, so no test ever reaches out.
 * - development: http or https to any address (loopback included).
 */
export interface TargetPolicy {
  readonly httpsOnly: boolean;
  /** only public unicast addresses (allow-listed hosts excepted) */
  readonly publicOnly: boolean;
  /** only loopback addresses (tests) */
  readonly loopbackOnly: boolean;
  /** lower-case host names (or IP literals) that may resolve to internal addresses */
  readonly allowedInternalHosts: ReadonlySet<string>;
}

export function targetPolicyFor(
  nodeEnv: 'development' | 'test' | 'production',
  allowedInternalHosts: readonly string[] = [],
): TargetPolicy {
  const allowed = new Set(allowedInternalHosts.map((h) => h.trim().toLowerCase()).filter(Boolean));
  if (nodeEnv === 'production') return { httpsOnly: true, publicOnly: true, loopbackOnly: false, allowedInternalHosts: allowed };
  if (nodeEnv === 'test') return { httpsOnly: false, publicOnly: false, loopbackOnly: true, allowedInternalHosts: allowed };
  return { httpsOnly: false, publicOnly: false, loopbackOnly: false, allowedInternalHosts: allowed };
}

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** DNS resolution (all addresses); tests replace it with a stub so nothing is ever looked up or contacted */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, order: 'verbatim' })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** a refusal: stable code, and a sentence an administrator (or a secretary reading it aloud) understands */
export class TargetRefused extends Error {
  constructor(
    readonly code: 'WEBHOOK_TARGET_NOT_ALLOWED' | 'WEBHOOK_HTTPS_REQUIRED' | 'WEBHOOK_TARGET_UNRESOLVABLE',
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }

  toApiError(): ApiError {
    return new ApiError(422, this.code, this.message, this.details);
  }
}

const ALWAYS_REFUSED = new Set(['unspecified', 'linkLocal', 'multicast', 'broadcast']);
const INTERNAL_OK_FOR_ALLOW_LISTED = new Set(['private', 'loopback', 'uniqueLocal', 'carrierGradeNat', 'unicast']);

/** the kind of address as ipaddr.js names its range; IPv4-mapped IPv6 addresses are judged as their IPv4 address */
export function addressRange(address: string): string {
  const parsed = ipaddr.process(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  if (parsed.kind() === 'ipv6') {
    const parts = (parsed as ipaddr.IPv6).parts;
    // ::a.b.c.d (IPv4-compatible, deprecated): never a public destination
    if (parts.slice(0, 6).every((p) => p === 0) && parsed.range() !== 'loopback' && parsed.range() !== 'unspecified')
      return 'ipv4Compatible';
    // fec0::/10 (site-local, deprecated): as private as unique-local
    if ((parts[0] & 0xffc0) === 0xfec0) return 'siteLocal';
  }
  return parsed.range();
}

const RANGE_WORDS: Record<string, string> = {
  private: 'a private network address',
  loopback: 'this server itself (loopback)',
  linkLocal: 'a link-local address (such as the cloud metadata service)',
  uniqueLocal: 'a private network address (IPv6 unique local)',
  siteLocal: 'a private network address (IPv6 site local)',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  carrierGradeNat: 'a shared (carrier-grade NAT) address',
  reserved: 'a reserved address',
  ipv4Mapped: 'an IPv4-mapped address',
  ipv4Compatible: 'an IPv4-compatible address',
};

function words(range: string): string {
  return RANGE_WORDS[range] ?? `an address that is not public (${range})`;
}

/** Checks one resolved (or literal) address against the policy; returns why it is refused, or undefined. */
export function refusalFor(policy: TargetPolicy, hostname: string, address: string): TargetRefused | undefined {
  let range: string;
  try {
    range = addressRange(address);
  } catch {
    return new TargetRefused(
      'WEBHOOK_TARGET_NOT_ALLOWED',
      `The webhook address ${hostname} resolves to something that is not an IP address.`,
      { host: hostname, address },
    );
  }
  const details = { host: hostname, address, range };
  if (policy.loopbackOnly) {
    if (range === 'loopback') return undefined;
    return new TargetRefused(
      'WEBHOOK_TARGET_NOT_ALLOWED',
      `In tests (NODE_ENV=test) a webhook must be on this machine (127.0.0.1 or ::1); ${hostname} is ${words(range)}.`,
      details,
    );
  }
  if (!policy.publicOnly) return undefined;
  if (range === 'unicast') return undefined;
  const allowListed = policy.allowedInternalHosts.has(normalHost(hostname));
  if (allowListed && !ALWAYS_REFUSED.has(range) && INTERNAL_OK_FOR_ALLOW_LISTED.has(range)) return undefined;
  return new TargetRefused(
    'WEBHOOK_TARGET_NOT_ALLOWED',
    allowListed
      ? `Webhooks are never sent to ${words(range)}: ${hostname} resolves to ${address}, even though it is on the list of allowed internal hosts.`
      : `Webhooks can only be sent to public internet addresses: ${hostname} resolves to ${address}, ${words(range)}. If this is the hospital's own integration engine, ask the operator to add ${normalHost(hostname)} to WEBHOOK_ALLOWED_INTERNAL_HOSTS.`,
    { ...details, allowListed },
  );
}

function normalHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** The URL's own rules (scheme); no DNS. */
export function checkScheme(policy: TargetPolicy, url: URL): TargetRefused | undefined {
  if (policy.httpsOnly && url.protocol !== 'https:') {
    return new TargetRefused(
      'WEBHOOK_HTTPS_REQUIRED',
      'Webhooks must use an https:// address in production, so the events cannot be read on the way.',
      { url: url.origin, scheme: url.protocol.replace(':', '') },
    );
  }
  return undefined;
}

/**
 * Resolves the URL's host and checks every address it resolves to (one bad address refuses the URL, so a
 * round-robin record cannot smuggle a private address in). Returns the address to connect to.
 */
export async function resolveTarget(policy: TargetPolicy, url: URL, resolver: Resolver): Promise<ResolvedAddress> {
  const scheme = checkScheme(policy, url);
  if (scheme) throw scheme;
  const hostname = normalHost(url.hostname);
  let addresses: ResolvedAddress[];
  const literal = isIP(hostname);
  if (literal) {
    addresses = [{ address: hostname, family: literal === 6 ? 6 : 4 }];
  } else if (policy.loopbackOnly) {
    // tests: no DNS at all; `localhost` is 127.0.0.1, any other name is refused unresolved
    if (hostname !== 'localhost') {
      throw new TargetRefused(
        'WEBHOOK_TARGET_NOT_ALLOWED',
        `In tests (NODE_ENV=test) a webhook must be on this machine (127.0.0.1, ::1 or localhost); ${hostname} is not.`,
        { host: hostname },
      );
    }
    addresses = [{ address: '127.0.0.1', family: 4 }];
  } else {
    try {
      addresses = await resolver(hostname);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) {
      throw new TargetRefused(
        'WEBHOOK_TARGET_UNRESOLVABLE',
        `The webhook address ${hostname} could not be found (DNS gave no address), so it cannot be checked or reached.`,
        { host: hostname },
      );
    }
  }
  for (const a of addresses) {
    const refused = refusalFor(policy, hostname, a.address);
    if (refused) throw refused;
  }
  return addresses[0];
}
