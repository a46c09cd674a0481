import { redactCprNumbers } from '#app/domain';

const MAX_NODES = 10_000;

/**
 * A copy of `value` in which every string (and object key) that holds a CPR number has it replaced by
 * `[cpr-redacted]`. Used on every error body before it leaves (an error must never say a CPR number back,
 * e.g. "No course with id 040595-1159") and on what goes into the logs and the access log.
 */
export function redactDeep<T>(value: T): T {
  let budget = MAX_NODES;
  const walk = (node: unknown, depth: number): unknown => {
    if (--budget < 0 || depth > 40) return node;
    if (typeof node === 'string') return redactCprNumbers(node);
    if (Array.isArray(node)) return node.map((item) => walk(item, depth + 1));
    if (node === null || typeof node !== 'object') return node;
    if (Object.getPrototypeOf(node) !== Object.prototype && Object.getPrototypeOf(node) !== null) return node;
    return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([k, v]) => [redactCprNumbers(k), walk(v, depth + 1)]));
  };
  return walk(value, 0) as T;
}

/**
 * A URL (path and query) with CPR numbers redacted, whether written plainly or percent-encoded
 * (`/courses/040595-1159`, `/courses/040595%2D1159`, `?patient=0405951159`).
 */
export function redactUrl(url: string): string {
  if (typeof url !== 'string') return url;
  const plain = redactCprNumbers(url);
  let decoded: string;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    return plain;
  }
  if (decoded === url || redactCprNumbers(decoded) === decoded) return plain;
  // the number hides behind percent-encoding: redact segment by segment in decoded form
  return url
    .split(/([/?&=])/)
    .map((part) => {
      try {
        const d = decodeURIComponent(part);
        return redactCprNumbers(d) === d
          ? redactCprNumbers(part)
          : encodeURIComponent(redactCprNumbers(d)).replace(/%5B/g, '[').replace(/%5D/g, ']');
      } catch {
        return redactCprNumbers(part);
      }
    })
    .join('');
}
