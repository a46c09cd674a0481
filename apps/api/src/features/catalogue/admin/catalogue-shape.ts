/**
 * The JSON shape of a catalogue body, checked before `validateCatalogue` reads it. A catalogue is large,
 * nested and free-form data (criteria, competence rules, pathway steps of several kinds), so it is not
 * described with class-validator DTOs: that would duplicate the domain's types and its validation, and
 * drift from them. Instead this file checks only what must hold for the domain validator to be able to
 * read the body (objects where objects are expected, lists where lists are), reporting each wrong field
 * as 400 VALIDATION_FAILED like the rest of the API; every business problem then comes from
 * `validateCatalogue` as 422 INVALID_CATALOGUE with every failure listed.
 */
export interface FieldProblem {
  readonly field: string;
  readonly problems: string[];
}

type Kind = 'object' | 'array' | 'string' | 'integer';

/** top-level fields of a Catalogue: all required; any other field is refused (as for every other body) */
const TOP_LEVEL: Readonly<Record<string, Kind>> = {
  clinicId: 'string',
  version: 'integer',
  name: 'object',
  programmes: 'array',
  interventions: 'array',
  pathway: 'object',
  settings: 'object',
  professions: 'array',
  competences: 'array',
  facts: 'array',
  source: 'object',
};

/** required only when the object holding the field is of one of these kinds (`kind` discriminates requirements, criteria, timings, steps) */
const whenKind =
  (...kinds: string[]) =>
  (holder: Record<string, unknown>): boolean =>
    kinds.includes(holder.kind as string);

type Required = boolean | ((holder: Record<string, unknown>) => boolean);

/** nested paths (`*` = every list item), their kind, and whether required; null never passes for a kind */
const NESTED: readonly (readonly [string, Kind, Required])[] = [
  ['professions.*', 'object', true],
  ['competences.*', 'object', true],
  ['facts.*', 'object', true],
  ['settings.waitlist', 'object', false],
  ['settings.competenceValidityMonths', 'object', false],
  ['programmes.*', 'object', true],
  ['programmes.*.name', 'object', false],
  ['programmes.*.sessionPlan', 'object', false],
  ['programmes.*.sessionPlan.sessions', 'array', false],
  ['programmes.*.sessionPlan.sessions.*', 'object', true],
  ['programmes.*.sessionPlan.cadence', 'object', false],
  ['programmes.*.staff', 'object', false],
  ['programmes.*.staff.roles', 'array', false],
  ['programmes.*.staff.roles.*', 'object', true],
  ['programmes.*.staff.roles.*.competence', 'object', false],
  ['programmes.*.staff.roles.*.competence.requirements', 'array', false],
  ['programmes.*.staff.roles.*.competence.requirements.*', 'object', true],
  ['programmes.*.staff.roles.*.competence.requirements.*.reason', 'string', false],
  ['programmes.*.staff.roles.*.competence.requirements.*.anyOf', 'array', whenKind('profession', 'competence')],
  ['programmes.*.staff.roles.*.competence.requirements.*.programmes', 'array', whenKind('teamService')],
  ['programmes.*.staff.roles.*.competence.requirements.*.roles', 'array', whenKind('teamService')],
  ['programmes.*.staff.apprentices', 'object', false],
  ['programmes.*.eligibility', 'object', false],
  ['programmes.*.eligibility.inclusion', 'array', false],
  ['programmes.*.eligibility.inclusion.*', 'object', true],
  ['programmes.*.eligibility.inclusion.*.reason', 'string', false],
  ['programmes.*.eligibility.inclusion.*.facts', 'array', whenKind('requiresAny')],
  ['programmes.*.eligibility.inclusion.*.facts.*', 'object', true],
  ['programmes.*.eligibility.inclusion.*.anyOf', 'array', whenKind('requiresCompleted')],
  ['programmes.*.eligibility.exclusion', 'array', false],
  ['programmes.*.eligibility.exclusion.*', 'object', true],
  ['programmes.*.eligibility.exclusion.*.reason', 'string', false],
  ['programmes.*.eligibility.exclusion.*.facts', 'array', whenKind('requiresAny')],
  ['programmes.*.eligibility.exclusion.*.facts.*', 'object', true],
  ['programmes.*.eligibility.exclusion.*.anyOf', 'array', whenKind('requiresCompleted')],
  ['programmes.*.lateJoin', 'object', false],
  ['programmes.*.source', 'object', false],
  ['interventions.*', 'object', true],
  ['interventions.*.name', 'object', false],
  ['interventions.*.sessions', 'object', false],
  ['interventions.*.who', 'object', false],
  ['interventions.*.who.professions', 'array', false],
  ['interventions.*.timing', 'object', false],
  ['interventions.*.timing.anchor', 'object', whenKind('deadline', 'window', 'after')],
  ['interventions.*.timing.anchor.anyOf', 'array', whenKind('programmeCompleted', 'interventionCompleted')],
  ['interventions.*.timing.within', 'object', whenKind('deadline')],
  ['interventions.*.timing.from', 'object', whenKind('window')],
  ['interventions.*.timing.to', 'object', whenKind('window')],
  ['interventions.*.timing.every', 'object', whenKind('recurring')],
  ['interventions.*.timing.slots', 'array', whenKind('weekly')],
  ['interventions.*.timing.slots.*', 'object', true],
  ['interventions.*.source', 'object', false],
  ['pathway.steps', 'array', true],
  ['pathway.steps.*', 'object', true],
  ['pathway.steps.*.after', 'array', false],
  ['pathway.steps.*.options', 'array', whenKind('choice')],
  ['pathway.steps.*.requiresRoles', 'array', false],
  ['pathway.steps.*.insteadOf', 'array', false],
  ['pathway.steps.*.window', 'object', false],
  ['pathway.steps.*.window.after', 'object', true],
  ['pathway.steps.*.window.from', 'object', true],
  ['pathway.steps.*.window.to', 'object', true],
  ['pathway.referral', 'object', true],
  ['pathway.referral.visitationWithin', 'object', true],
  ['pathway.referral.criteriaSet', 'object', true],
  ['pathway.referral.criteriaSet.criteria', 'array', true],
  ['pathway.referral.requiredContent', 'array', true],
  ['pathway.exclusion', 'object', true],
  ['pathway.exclusion.reasons', 'array', true],
  ['pathway.microteam', 'object', true],
  ['pathway.microteam.roles', 'array', true],
  ['pathway.microteam.singleHolderRoles', 'array', true],
  ['pathway.windowWarning', 'object', false],
];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function hasKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
  }
}

const article = (kind: Kind) =>
  kind === 'object' ? 'an object' : kind === 'array' ? 'a list' : kind === 'integer' ? 'a whole number' : 'a string';

/** Every field of the body with the wrong JSON shape (empty = the domain validator can read it). */
export function catalogueShapeProblems(body: unknown): FieldProblem[] {
  if (!isObject(body)) return [{ field: '(body)', problems: ['the body must be a catalogue JSON object'] }];
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(body)) {
    if (!(key in TOP_LEVEL)) problems.push({ field: key, problems: [`property ${key} should not exist`] });
  }
  for (const [key, kind] of Object.entries(TOP_LEVEL)) {
    if (body[key] === undefined) problems.push({ field: key, problems: [`${key} is required`] });
    else if (!hasKind(body[key], kind)) problems.push({ field: key, problems: [`${key} must be ${article(kind)}`] });
  }
  for (const [path, kind, required] of NESTED) walk(body, path.split('.'), '', kind, required, problems);
  return problems;
}

function walk(value: unknown, segments: readonly string[], at: string, kind: Kind, required: Required, problems: FieldProblem[]): void {
  const head = segments.at(0);
  if (head === undefined) return;
  const rest = segments.slice(1);
  if (head === '*') {
    if (!Array.isArray(value)) return; // the list itself is reported by its own rule
    value.forEach((item, i) => {
      const field = `${at}[${i}]`;
      if (rest.length === 0) {
        if (!hasKind(item, kind)) problems.push({ field, problems: [`${field} must be ${article(kind)}`] });
      } else {
        walk(item, rest, field, kind, required, problems);
      }
    });
    return;
  }
  if (!isObject(value)) return;
  const field = at ? `${at}.${head}` : head;
  const next = value[head];
  if (rest.length === 0) {
    if (next === undefined) {
      if (required === true || (typeof required === 'function' && required(value)))
        problems.push({ field, problems: [`${field} is required`] });
    } else if (!hasKind(next, kind)) {
      problems.push({ field, problems: [`${field} must be ${article(kind)}`] });
    }
    return;
  }
  walk(next, rest, field, kind, required, problems);
}
