/** Deterministic randomness for the workload: the same seed gives the same commands in the same order. */

export interface Random {
  /** uniform in [0, 1) */
  (): number;
  /** integer in [min, max] */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** a child stream, independent of how much the parent is used later */
  fork(label: string): Random;
}

/** mulberry32 */
export function random(seed: number): Random {
  let a = seed >>> 0;
  const next = (() => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as Random;
  next.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  next.chance = (p) => next() < p;
  next.pick = (items) => items[Math.floor(next() * items.length)];
  next.fork = (label) => random(hash(`${seed}/${label}`));
  return next;
}

export function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * A well-formed CPR number (DDMMYY-SSSS) for patient `n`, distinct for distinct n (below 87 million):
 * adults born 1940–1999 (7th digit 0–3 = born in the 1900s). Synthetic, derived from n only.
 */
export function syntheticCpr(n: number): string {
  const days = 21_900; // 1940-01-01 + 0..21899 days stays within 1940–1999
  const born = new Date(Date.UTC(1940, 0, 1) + ((n * 7919) % days) * 86_400_000);
  const serial = Math.floor(n / days); // 0..3999
  return `${pad(born.getUTCDate())}${pad(born.getUTCMonth() + 1)}${pad(born.getUTCFullYear() % 100)}-${String(serial).padStart(4, '0')}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
