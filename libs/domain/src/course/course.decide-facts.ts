import { BOOLEAN_FACTS, KEYED_FACTS } from '../eligibility/patient-facts.js';
import { refuse } from '../shared/index.js';
import type { RecordPatientFact } from './course.commands.js';
import { blank, compact, factRecorded, type Result } from './course.decide-support.js';
import { isKnownFactField } from './course.state.js';

/** Patient facts (care-model §5). */

const BOOLEAN_FACT_SET: ReadonlySet<string> = new Set(BOOLEAN_FACTS);
const KEYED_FACT_SET: ReadonlySet<string> = new Set(KEYED_FACTS);

export function recordPatientFact(c: RecordPatientFact): Result {
  const derived = new Set<string>(['programmesCompleted']);
  for (const s of c.pathway.steps) if (s.kind === 'choice' && s.fact) derived.add(s.fact);
  if (derived.has(c.fact)) {
    return refuse('FACT_DERIVED', `"${c.fact}" is recorded by the course itself (from the choices made and programmes completed).`);
  }
  if (typeof c.basis.source !== 'string') return refuse('BASIS_REQUIRED', 'Say on what basis the fact is recorded.');
  if (c.basis.source === 'OTHER' && blank(c.basis.note)) return refuse('BASIS_REQUIRED', 'Describe the basis when it is "other".');
  const valueError = (expected: string) => refuse('FACT_VALUE_INVALID', `"${c.fact}" must be recorded as ${expected}.`);
  if (BOOLEAN_FACT_SET.has(c.fact)) {
    if (typeof c.value !== 'boolean') return valueError('yes or no');
    if (c.key !== undefined) return refuse('FACT_KEY_UNEXPECTED', `"${c.fact}" is not recorded per programme.`);
  } else if (KEYED_FACT_SET.has(c.fact)) {
    if (blank(c.key)) return refuse('FACT_KEY_REQUIRED', `"${c.fact}" is recorded per programme: name the programme.`);
    if (typeof c.value !== 'boolean') return valueError('yes or no');
  } else if (isKnownFactField(c.fact)) {
    if (typeof c.value !== 'string' || blank(c.value)) return valueError('a code');
  } else {
    const definition = c.customFacts?.find((f) => f.name === c.fact);
    if (!definition) return refuse('UNKNOWN_FACT', `"${c.fact}" is not a patient fact this clinic records.`);
    if (definition.type === 'boolean' && typeof c.value !== 'boolean') return valueError('yes or no');
    if (definition.type === 'code' && (typeof c.value !== 'string' || blank(c.value))) return valueError('a code');
    if (definition.type !== 'boolean' && definition.type !== 'code') {
      return refuse('FACT_TYPE_UNSUPPORTED', `"${c.fact}" is a ${definition.type} fact, which the course cannot record yet.`);
    }
  }
  return [factRecorded(c.fact, c.value, compact({ ...c.basis }), c.now, c.key)];
}
