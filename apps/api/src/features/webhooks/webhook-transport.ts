import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveTarget, TargetRefused, type Resolver, type ResolvedAddress, type TargetPolicy } from './webhook-target.js';

export interface SendResult {
  readonly status: number;
  /** the address the request went to (after the checks) */
  readonly address: string;
}

/**
 * One POST to a webhook: resolve the host, check every address against the policy (webhook-target.ts),
 * then connect to the checked address and nothing else: the socket's `lookup` answers with it instead of
 * asking DNS again, so the name cannot resolve differently between the check and the connection. TLS still
 * verifies the certificate against the host name (SNI is the name). Redirects are not followed (node:http
 * never follows them; a 3xx is a failed attempt). The response body is discarded.
 */
export async function postToWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  options: { policy: TargetPolicy; resolver: Resolver; timeoutMs: number },
): Promise<SendResult> {
  const url = new URL(rawUrl);
  const pinned = await resolveTarget(options.policy, url, options.resolver);
  const lookup = pinnedLookup(pinned);
  const secure = url.protocol === 'https:';
  const requestOptions: RequestOptions = {
    method: 'POST',
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 443 : 80,
    path: `${url.pathname}${url.search}`,
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    lookup,
    agent: false,
    signal: AbortSignal.timeout(options.timeoutMs),
  };
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(requestOptions, resolve);
    req.on('error', reject);
    req.end(body);
  });
  response.resume();
  await new Promise<void>((resolve) => {
    response.on('end', resolve);
    response.on('error', () => resolve());
    response.on('close', () => resolve());
  });
  return { status: response.statusCode ?? 0, address: pinned.address };
}

/** a `lookup` that always answers with the checked address (also when asked for all addresses) */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return ((
    _hostname: string,
    options: { all?: boolean } | null | ((...args: unknown[]) => void),
    callback?: (...args: unknown[]) => void,
  ) => {
    const cb = typeof options === 'function' ? options : callback;
    if (!cb) throw new TypeError('a lookup needs a callback');
    const all = typeof options === 'object' && options !== null && options.all === true;
    if (all) cb(null, [{ address: pinned.address, family: pinned.family }]);
    else cb(null, pinned.address, pinned.family);
  }) as unknown as LookupFunction;
}

/** a short reason for the delivery log, without the URL (it may carry the receiver's token) */
export function describeFailure(error: unknown): string {
  if (error instanceof TargetRefused) return `refused: ${error.code} (${where(error.details)})`.slice(0, 200);
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    const code = (error as Error & { code?: string }).code;
    return (code ?? error.message).slice(0, 200);
  }
  return 'failed';
}

/** the refused address, else the host (both are set as strings by the target check) */
function where(details: Record<string, unknown>): string {
  const place = details.address ?? details.host;
  return typeof place === 'string' ? place : '';
}
