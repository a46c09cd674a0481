import type { FailedCriterion } from '../shared/index.js';
import type { FactDefinition, ProgrammeDefinition } from '../catalogue/catalogue.types.js';
import type { EligibilityCriterion, UnknownFactPolicy } from './criterion.types.js';
import { BOOLEAN_FACTS, CODE_FACTS, KEYED_FACTS, type PatientFacts } from './patient-facts.js';

const KNOWN_FACTS: ReadonlySet<string> = new Set([...BOOLEAN_FACTS, ...KEYED_FACTS, ...CODE_FACTS, 'programmesCompleted']);

/** A failed criterion, with whether it failed on the facts or because a fact is not yet recorded. */
export interface EligibilityFailure extends FailedCriterion {
  readonly status: 'failed' | 'notRecorded';
  readonly side: 'inclusion' | 'exclusion';
  /** the facts to record or ask about */
  readonly facts: readonly string[];
}

export interface EligibilityContext {
  /** questions to read aloud for facts not yet recorded */
  readonly factDefinitions?: readonly FactDefinition[];
  /** default for criteria without `whenUnknown`; `fail` unless the catalogue says otherwise */
  readonly unknownFact?: UnknownFactPolicy;
}

export function eligibilityContextFor(catalogue: {
  readonly facts: readonly FactDefinition[];
  readonly settings: { readonly unknownFact: UnknownFactPolicy };
}): EligibilityContext {
  return { factDefinitions: catalogue.facts, unknownFact: catalogue.settings.unknownFact };
}

type Outcome = { readonly ok: true } | { readonly ok: false; readonly unknown: readonly string[] };
const PASS: Outcome = { ok: true };
const failed = (): Outcome => ({ ok: false, unknown: [] });
const notRecorded = (...facts: string[]): Outcome => ({ ok: false, unknown: facts });

/**
 * Every criterion of the programme the facts do not meet (inclusion first, then exclusion), never
 * just the first. An empty list means eligible.
 *
 * Unknown facts (decision, catalogue `settings.unknownFact`, default `fail`): a criterion whose fact
 * is not yet recorded fails with status `notRecorded` and a reason that starts with the question to
 * ask, so the secretary knows what to find out. A criterion may override this with `whenUnknown`.
 * A clearance that is not recorded counts as not given (the source asks for a documented clearance).
 */
export function evaluateEligibility(
  programme: Pick<ProgrammeDefinition, 'eligibility'>,
  facts: PatientFacts,
  context: EligibilityContext = {},
): EligibilityFailure[] {
  const failures: EligibilityFailure[] = [];
  const sides = [
    ['inclusion', programme.eligibility.inclusion],
    ['exclusion', programme.eligibility.exclusion],
  ] as const;
  for (const [side, criteria] of sides) {
    for (const criterion of criteria) {
      const outcome = check(criterion, facts);
      if (outcome.ok) continue;
      if (outcome.unknown.length === 0) {
        failures.push({ code: criterion.code, reason: criterion.reason, status: 'failed', side, facts: factsOf(criterion) });
        continue;
      }
      const policy = criterion.whenUnknown ?? context.unknownFact ?? 'fail';
      if (policy === 'pass') continue;
      const questions = outcome.unknown.map((name) => questionFor(name, context.factDefinitions));
      failures.push({
        code: criterion.code,
        reason: `Not yet recorded: ${questions.join(' ')} ${criterion.reason}`,
        status: 'notRecorded',
        side,
        facts: outcome.unknown,
      });
    }
  }
  return failures;
}

function check(criterion: EligibilityCriterion, facts: PatientFacts): Outcome {
  switch (criterion.kind) {
    case 'requires': {
      const value = readFact(facts, criterion.fact, criterion.key);
      if (value === undefined) return notRecorded(factName(criterion.fact, criterion.key));
      return value === (criterion.equals ?? true) ? PASS : failed();
    }
    case 'requiresAny': {
      const values = criterion.facts.map((f) => readFact(facts, f.fact, f.key));
      if (values.some((v) => v === true)) return PASS;
      const unknown = criterion.facts.filter((_, i) => values[i] === undefined).map((f) => factName(f.fact, f.key));
      return unknown.length > 0 ? notRecorded(...unknown) : failed();
    }
    case 'excludes': {
      const value = readFact(facts, criterion.fact, criterion.key);
      if (value === undefined) return notRecorded(factName(criterion.fact, criterion.key));
      return value === true ? failed() : PASS;
    }
    case 'requiresClearance': {
      const value = readFact(facts, criterion.fact);
      if (value === undefined) return notRecorded(criterion.fact);
      if (value !== true) return PASS;
      return readFact(facts, criterion.clearedBy) === true ? PASS : failed();
    }
    case 'requiresCompleted': {
      const completed = facts.programmesCompleted;
      if (completed === undefined) return notRecorded('programmesCompleted');
      return criterion.anyOf.some((code) => completed.includes(code)) ? PASS : failed();
    }
  }
}

function factsOf(criterion: EligibilityCriterion): string[] {
  switch (criterion.kind) {
    case 'requires':
    case 'excludes':
      return [factName(criterion.fact, criterion.key)];
    case 'requiresAny':
      return criterion.facts.map((f) => factName(f.fact, f.key));
    case 'requiresClearance':
      return [criterion.fact, criterion.clearedBy];
    case 'requiresCompleted':
      return ['programmesCompleted'];
  }
}

const factName = (fact: string, key?: string): string => (key === undefined ? fact : `${fact}.${key}`);

/** a fact's value, `undefined` when not recorded; a fact not on `PatientFacts` is read from `custom` */
export function readFact(facts: PatientFacts, fact: string, key?: string): unknown {
  const record = facts as Readonly<Record<string, unknown>>;
  const value = KNOWN_FACTS.has(fact) ? record[fact] : facts.custom?.[fact];
  if (key === undefined) return value;
  if (value === null || typeof value !== 'object') return undefined;
  const entries = value as Readonly<Record<string, unknown>>;
  return Object.hasOwn(entries, key) ? entries[key] : undefined;
}

function questionFor(name: string, definitions: readonly FactDefinition[] | undefined): string {
  const [fact, key] = name.split('.') as [string, string | undefined];
  const question = definitions?.find((d) => d.name === fact)?.question;
  if (question === undefined) return `${name}?`;
  return key === undefined ? question : question.replace('{key}', key);
}
