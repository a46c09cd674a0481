import type { FailedCriterion } from '../shared/index.js';
import type { CompetenceRequirement } from '../competence/competence.types.js';
import type { EligibilityCriterion } from '../eligibility/criterion.types.js';
import { isLocalTime } from './calendar.js';
import type { CatalogueInput, Unvalidated } from './catalogue-input.types.js';
import {
  APPRENTICE_ROLE,
  type Catalogue,
  type CatalogueSettings,
  type Duration,
  type InterventionDefinition,
  type PathwayDefinition,
  type ProgrammeDefinition,
  type TimingAnchor,
} from './catalogue.types.js';
import { validatePathway } from './pathway.js';

const CODE = /^[A-Z][A-Z0-9_]*$/;
const FACT_KINDS = new Set<unknown>(['requires', 'requiresAny', 'excludes', 'requiresClearance', 'requiresCompleted']);
const REQUIREMENT_KINDS = new Set<unknown>(['profession', 'competence', 'employedFor', 'teamService']);
const UNITS = new Set<unknown>(['hours', 'days', 'weeks', 'months']);
const WEEKDAYS = new Set<unknown>(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']);

/**
 * Every problem of a catalogue (empty list = usable). Meant for catalogues written by hand or sent
 * as JSON by another clinic, so it never stops at the first problem and tolerates missing parts.
 */
export function validateCatalogue(catalogue: CatalogueInput): FailedCriterion[] {
  const failures: FailedCriterion[] = [];
  const fail = (code: string, reason: string) => failures.push({ code, reason });
  const c = catalogue;

  if (typeof c.clinicId !== 'string' || c.clinicId.trim() === '')
    fail('CLINIC_ID_MISSING', 'The catalogue must name the clinic it belongs to.');
  if (typeof c.version !== 'number' || !Number.isInteger(c.version) || c.version < 1)
    fail('VERSION_INVALID', 'The catalogue version must be a whole number of at least 1.');
  if (!isJsonData(catalogue)) fail('NOT_PLAIN_DATA', 'The catalogue must be plain data (no functions, dates or class instances).');

  const professions = new Set(uniqueCodes(c.professions ?? [], 'profession', fail));
  const competences = new Set(uniqueCodes(c.competences ?? [], 'competence', fail));
  const facts = new Map((c.facts ?? []).map((f) => [f.name, f.type]));
  if (facts.size !== (c.facts ?? []).length) fail('FACT_DUPLICATE', 'A patient fact is declared twice.');
  const programmes = c.programmes ?? [];
  const interventions = c.interventions ?? [];
  if (programmes.length + interventions.length === 0) fail('CATALOGUE_EMPTY', 'The catalogue offers no programmes and no interventions.');
  const programmeCodes = new Set(uniqueCodes(programmes, 'programme', fail));
  const interventionCodes = new Set(uniqueCodes(interventions, 'intervention', fail));
  const staffRoles = new Set(programmes.flatMap((p) => p.staff?.roles?.map((r) => r.role) ?? []));
  staffRoles.add(APPRENTICE_ROLE);

  validateSettings(c.settings, competences, fail);

  for (const p of programmes) {
    validateProgramme(p, { professions, competences, facts, programmeCodes, staffRoles }, fail);
  }
  for (const i of interventions) validateIntervention(i, { professions, programmeCodes, interventionCodes }, fail);

  if (c.pathway && c.settings && Array.isArray(c.programmes) && Array.isArray(c.interventions)) {
    // the pathway validator reads the pathway's and the catalogue's structure as typed: the API's shape check
    // guarantees it (pathway.* rows) and the lists and settings it reads are present here
    for (const f of validatePathway(c.pathway as PathwayDefinition, catalogue as Catalogue)) fail(`PATHWAY_${f.code}`, f.reason);
  } else if (!c.pathway) {
    fail('PATHWAY_MISSING', 'The catalogue has no pathway.');
  }
  return failures;
}

type Fail = (code: string, reason: string) => void;

/** the codes as given; a missing code is reported and kept (as `undefined`), so a second missing one is a duplicate */
function uniqueCodes(items: readonly { readonly code?: string }[], what: string, fail: Fail): (string | undefined)[] {
  const seen = new Set<string | undefined>();
  for (const item of items) {
    if (typeof item.code !== 'string' || !CODE.test(item.code))
      fail('CODE_INVALID', `The ${what} code "${String(item.code)}" must be UPPER_SNAKE_CASE.`);
    if (seen.has(item.code)) fail('CODE_DUPLICATE', `The ${what} code ${String(item.code)} is used twice.`);
    seen.add(item.code);
  }
  return [...seen];
}

function validateSettings(
  settings: Unvalidated<CatalogueSettings> | undefined,
  competences: ReadonlySet<string | undefined>,
  fail: Fail,
): void {
  if (!settings) {
    fail('SETTINGS_MISSING', 'The catalogue has no settings.');
    return;
  }
  if (!isKnownTimeZone(settings.timeZone)) fail('TIME_ZONE_INVALID', `The time zone "${String(settings.timeZone)}" is not known.`);
  if (settings.language !== undefined && !isOneOf(settings.language, ['da', 'en']))
    fail('LANGUAGE_INVALID', 'The clinic language must be da or en.');
  if (!isPositive(settings.offerHoldHours)) fail('OFFER_HOLD_INVALID', 'The offer hold must be a positive number of hours.');
  if (settings.holdMinutes !== undefined && !(isPositiveInt(settings.holdMinutes) && settings.holdMinutes <= 1440)) {
    fail('HOLD_MINUTES_INVALID', 'The hold on a time must be a whole number of minutes from 1 to 1440.');
  }
  if (!isPositive(settings.visitationDeadlineHours))
    fail('VISITATION_DEADLINE_INVALID', 'The visitation deadline must be a positive number of hours.');
  for (const [code, months] of Object.entries(settings.competenceValidityMonths ?? {})) {
    if (!competences.has(code))
      fail('VALIDITY_COMPETENCE_UNKNOWN', `A validity is set for the competence ${code}, which the catalogue does not define.`);
    if (typeof months !== 'number' || !Number.isInteger(months) || months < 1)
      fail('VALIDITY_INVALID', `The validity of ${code} must be a whole number of months.`);
  }
  if (!isOneOf(settings.waitlist?.tieBreak, ['joinedAt', 'courseId']))
    fail('TIE_BREAK_INVALID', 'The waitlist tie-break must be joinedAt or courseId.');
  if (typeof settings.waitlist?.autoOfferFreedSeats !== 'boolean')
    fail('AUTO_OFFER_INVALID', 'The waitlist must say whether freed seats are offered at once.');
  if (!isOneOf(settings.unknownFact, ['fail', 'pass']))
    fail('UNKNOWN_FACT_POLICY_INVALID', 'An unknown patient fact must either fail or pass.');
  if (settings.roomPeopleCap !== null && !isPositiveInt(settings.roomPeopleCap))
    fail('ROOM_CAP_INVALID', 'The room cap must be a positive whole number, or none.');
}

/** what the catalogue declares, as given (a declaration missing its code or name is kept as `undefined`) */
interface ProgrammeContext {
  readonly professions: ReadonlySet<string | undefined>;
  readonly competences: ReadonlySet<string | undefined>;
  readonly facts: ReadonlyMap<string | undefined, string | undefined>;
  readonly programmeCodes: ReadonlySet<string | undefined>;
  readonly staffRoles: ReadonlySet<string | undefined>;
}

function validateProgramme(p: Unvalidated<ProgrammeDefinition>, ctx: ProgrammeContext, fail: Fail): void {
  const at = `Programme ${String(p.code)}`;
  if (!p.name?.da || !p.name.en) fail('NAME_MISSING', `${at} needs a Danish and an English name.`);
  if (!isPositiveInt(p.seats)) fail('SEATS_INVALID', `${at} must have a positive whole number of seats.`);
  if (!p.source?.careModel) fail('SOURCE_MISSING', `${at} must cite its source.`);

  const sessions = p.sessionPlan?.sessions ?? [];
  if (sessions.length === 0) fail('SESSIONS_MISSING', `${at} has no sessions.`);
  const keys = new Set<string | undefined>();
  let previousOffset: number | undefined = -1;
  for (const s of sessions) {
    if (keys.has(s.key)) fail('SESSION_KEY_DUPLICATE', `${at} uses the session key ${String(s.key)} twice.`);
    keys.add(s.key);
    if (!isPositiveInt(s.durationMinutes))
      fail('SESSION_DURATION_INVALID', `${at}: session ${String(s.key)} must last a positive whole number of minutes.`);
    if (!isWhole(s.dayOffset) || (previousOffset !== undefined && s.dayOffset < previousOffset))
      fail('SESSION_ORDER_INVALID', `${at}: session ${String(s.key)} must come on or after the session before it.`);
    if (s.localStartTime !== undefined && !isLocalTime(s.localStartTime))
      fail('SESSION_TIME_INVALID', `${at}: session ${String(s.key)} has an invalid start time.`);
    previousOffset = s.dayOffset;
  }
  if (sessions[0] && sessions[0].dayOffset !== 0) fail('SESSION_ORDER_INVALID', `${at}: the first session must be on day 0.`);
  const groupOffsets = sessions.filter((s) => s.kind === 'group').map((s) => s.dayOffset);
  const cadence = p.sessionPlan?.cadence;
  if (cadence?.kind === 'once' && groupOffsets.length !== 1)
    fail('CADENCE_MISMATCH', `${at} meets once but has ${groupOffsets.length} group sessions.`);
  if (cadence?.kind === 'every') {
    if (groupOffsets.some((o, i) => i > 0 && !isDaysApart(groupOffsets[i - 1], o, cadence.days))) {
      fail('CADENCE_MISMATCH', `${at}: group sessions must be ${String(cadence.days)} days apart.`);
    }
  }

  const roles = p.staff?.roles ?? [];
  if (roles.length === 0) fail('STAFF_RULE_MISSING', `${at} has no staff rule.`);
  const roleNames = new Set<string | undefined>();
  for (const r of roles) {
    if (r.role === APPRENTICE_ROLE)
      fail('STAFF_ROLE_RESERVED', `${at}: apprentices never count as staff, so "apprentice" cannot be a staff role.`);
    if (roleNames.has(r.role)) fail('STAFF_ROLE_DUPLICATE', `${at} lists the staff role ${String(r.role)} twice.`);
    roleNames.add(r.role);
    if (!isPositiveInt(r.count)) fail('STAFF_COUNT_INVALID', `${at}: the ${String(r.role)} count must be a positive whole number.`);
    validateRequirements(`${at}, role ${String(r.role)}`, r.competence?.requirements ?? [], ctx, fail);
  }
  const apprentices = p.staff?.apprentices;
  if (!apprentices || (apprentices.max !== null && !isWholeAtLeast(apprentices.max, 0))) {
    fail('APPRENTICE_RULE_INVALID', `${at} must say whether apprentices may join, and how many (or no limit).`);
  }

  const criteria = [...(p.eligibility?.inclusion ?? []), ...(p.eligibility?.exclusion ?? [])];
  const criterionCodes = new Set<string | undefined>();
  for (const criterion of criteria) {
    if (criterionCodes.has(criterion.code)) fail('CRITERION_DUPLICATE', `${at} uses the criterion code ${String(criterion.code)} twice.`);
    criterionCodes.add(criterion.code);
    validateCriterion(at, criterion, ctx, fail);
  }

  if (p.relatives !== null && p.relatives !== undefined) {
    if (!isPositiveInt(p.relatives.perPatient) || !isAtLeast(p.relatives.minAge, 0) || p.relatives.takesSeat) {
      fail('RELATIVES_INVALID', `${at}: relatives need a positive number per patient, a minimum age, and never take a seat.`);
    }
  } else if (p.relatives === undefined) {
    fail('RELATIVES_INVALID', `${at} must say whether relatives may come (null for none).`);
  }
  const late = p.lateJoin;
  if (!late || !isWholeAtLeast(late.sessionNumber, 1) || late.sessionNumber > sessions.length || !isAtLeast(late.hoursBefore, 0)) {
    fail('LATE_JOIN_INVALID', `${at}: the late-join cut-off must name one of its sessions and a non-negative number of hours before it.`);
  }
}

function validateRequirements(
  at: string,
  requirements: readonly Unvalidated<CompetenceRequirement>[],
  ctx: ProgrammeContext,
  fail: Fail,
): void {
  const codes = new Set<string | undefined>();
  for (const r of requirements) {
    if (codes.has(r.code)) fail('REQUIREMENT_DUPLICATE', `${at} uses the requirement code ${String(r.code)} twice.`);
    codes.add(r.code);
    if (!r.reason?.trim()) fail('REASON_MISSING', `${at}: requirement ${String(r.code)} needs a sentence to read aloud.`);
    if (!REQUIREMENT_KINDS.has(r.kind)) {
      fail('REQUIREMENT_KIND_UNKNOWN', `${at}: requirement ${String(r.code)} has an unknown kind.`);
      continue;
    }
    switch (r.kind) {
      case 'profession':
        for (const p of r.anyOf ?? [])
          if (!ctx.professions.has(p))
            fail('PROFESSION_UNKNOWN', `${at}: requirement ${String(r.code)} names the unknown profession ${p}.`);
        break;
      case 'competence':
        if ((r.anyOf ?? []).length === 0) fail('REQUIREMENT_EMPTY', `${at}: requirement ${String(r.code)} names no competence.`);
        for (const k of r.anyOf ?? [])
          if (!ctx.competences.has(k))
            fail('COMPETENCE_UNKNOWN', `${at}: requirement ${String(r.code)} names the unknown competence ${k}.`);
        break;
      case 'employedFor':
        if (!isPositiveInt(r.months))
          fail('MONTHS_INVALID', `${at}: requirement ${String(r.code)} must be a positive whole number of months.`);
        break;
      case 'teamService':
        if (!isPositiveInt(r.atLeast)) fail('COUNT_INVALID', `${at}: requirement ${String(r.code)} must count at least one team.`);
        for (const p of r.programmes ?? [])
          if (!ctx.programmeCodes.has(p))
            fail('PROGRAMME_UNKNOWN', `${at}: requirement ${String(r.code)} names the unknown programme ${p}.`);
        for (const role of r.roles ?? [])
          if (!ctx.staffRoles.has(role)) fail('ROLE_UNKNOWN', `${at}: requirement ${String(r.code)} names the unknown role ${role}.`);
        break;
    }
  }
}

function validateCriterion(at: string, criterion: Unvalidated<EligibilityCriterion>, ctx: ProgrammeContext, fail: Fail): void {
  if (!criterion.reason?.trim()) fail('REASON_MISSING', `${at}: criterion ${String(criterion.code)} needs a sentence to read aloud.`);
  if (!FACT_KINDS.has(criterion.kind)) {
    fail('CRITERION_KIND_UNKNOWN', `${at}: criterion ${String(criterion.code)} has an unknown kind.`);
    return;
  }
  const checkFact = (fact: string | undefined, key?: string) => {
    const type = ctx.facts.get(fact);
    if (type === undefined) {
      fail('FACT_UNKNOWN', `${at}: criterion ${String(criterion.code)} reads the undeclared fact ${String(fact)}.`);
      return;
    }
    if ((type === 'keyedBoolean') !== (key !== undefined))
      fail('FACT_KEY_INVALID', `${at}: criterion ${String(criterion.code)} must give a key exactly when ${String(fact)} is keyed.`);
  };
  switch (criterion.kind) {
    case 'requires':
    case 'excludes':
      checkFact(criterion.fact, criterion.key);
      break;
    case 'requiresAny':
      if ((criterion.facts ?? []).length === 0) fail('CRITERION_EMPTY', `${at}: criterion ${String(criterion.code)} names no facts.`);
      for (const f of criterion.facts ?? []) checkFact(f.fact, f.key);
      break;
    case 'requiresClearance':
      checkFact(criterion.fact);
      checkFact(criterion.clearedBy);
      break;
    case 'requiresCompleted':
      if ((criterion.anyOf ?? []).length === 0) fail('CRITERION_EMPTY', `${at}: criterion ${String(criterion.code)} names no programmes.`);
      for (const p of criterion.anyOf ?? [])
        if (!ctx.programmeCodes.has(p))
          fail('PROGRAMME_UNKNOWN', `${at}: criterion ${String(criterion.code)} names the unknown programme ${p}.`);
      break;
  }
}

interface InterventionContext {
  readonly professions: ReadonlySet<string | undefined>;
  readonly programmeCodes: ReadonlySet<string | undefined>;
  readonly interventionCodes: ReadonlySet<string | undefined>;
}

function validateIntervention(i: Unvalidated<InterventionDefinition>, ctx: InterventionContext, fail: Fail): void {
  const at = `Intervention ${String(i.code)}`;
  if (!i.name?.da || !i.name.en) fail('NAME_MISSING', `${at} needs a Danish and an English name.`);
  if (!i.source?.careModel) fail('SOURCE_MISSING', `${at} must cite its source.`);
  if (i.durationMinutes !== null && !isPositiveInt(i.durationMinutes))
    fail('DURATION_INVALID', `${at} must last a positive whole number of minutes, or none.`);
  if (!i.sessions || !isPositiveInt(i.sessions.min) || !isAtLeast(i.sessions.max, i.sessions.min))
    fail('SESSION_COUNT_INVALID', `${at} must have at least one session and a maximum no lower than the minimum.`);
  if (!i.who?.professions?.length) fail('WHO_MISSING', `${at} must say which professions give it.`);
  for (const p of i.who?.professions ?? [])
    if (!ctx.professions.has(p)) fail('PROFESSION_UNKNOWN', `${at} names the unknown profession ${p}.`);
  if (i.alternativeTo !== undefined && !ctx.programmeCodes.has(i.alternativeTo) && !ctx.interventionCodes.has(i.alternativeTo)) {
    fail('ALTERNATIVE_UNKNOWN', `${at} is an alternative to ${i.alternativeTo}, which the catalogue does not offer.`);
  }
  const anchor = (a: Unvalidated<TimingAnchor> | undefined) => {
    if (a?.kind === 'programmeCompleted')
      for (const p of a.anyOf ?? [])
        if (!ctx.programmeCodes.has(p)) fail('PROGRAMME_UNKNOWN', `${at} is timed after the unknown programme ${p}.`);
    if (a?.kind === 'interventionCompleted')
      for (const x of a.anyOf ?? [])
        if (!ctx.interventionCodes.has(x)) fail('INTERVENTION_UNKNOWN', `${at} is timed after the unknown intervention ${x}.`);
  };
  const duration = (d: Unvalidated<Duration> | undefined) => {
    if (!UNITS.has(d?.unit) || !isAtLeast(d?.value, 0)) fail('DURATION_INVALID', `${at} has an invalid timing duration.`);
  };
  const t = i.timing;
  switch (t?.kind) {
    case 'deadline':
      anchor(t.anchor);
      duration(t.within);
      break;
    case 'window':
      anchor(t.anchor);
      duration(t.from);
      duration(t.to);
      if (endsBeforeStart(t.from, t.to)) fail('WINDOW_EMPTY', `${at}: its timing window ends before it starts.`);
      break;
    case 'after':
      anchor(t.anchor);
      break;
    case 'recurring':
      duration(t.every);
      break;
    case 'weekly':
      if ((t.slots ?? []).length === 0) fail('SLOTS_MISSING', `${at} has weekly timing but no slots.`);
      for (const s of t.slots ?? []) {
        if (!WEEKDAYS.has(s.weekday) || !isLocalTime(s.from) || !isLocalTime(s.to) || s.from >= s.to)
          fail('SLOT_INVALID', `${at} has an invalid weekly slot.`);
      }
      break;
    case 'none':
      break;
    default:
      fail('TIMING_INVALID', `${at} has no valid timing rule.`);
  }
}

const knownZones = new Set<string>();
function isKnownTimeZone(zone: unknown): boolean {
  if (typeof zone !== 'string') return false;
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    knownZones.add(zone);
    return true;
  } catch {
    return false;
  }
}

/** a window whose end comes before its start, both given in the same unit */
const endsBeforeStart = (from: Unvalidated<Duration> | undefined, to: Unvalidated<Duration> | undefined): boolean =>
  from?.unit === to?.unit && from?.value !== undefined && to?.value !== undefined && from.value > to.value;
const isOneOf = (value: unknown, allowed: readonly unknown[]): boolean => allowed.includes(value);
const isPositive = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n > 0;
const isPositiveInt = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0;
/** `n >= min` as JavaScript reads it for a number or a missing value (false) */
const isAtLeast = (n: unknown, min: number): n is number => typeof n === 'number' && n >= min;
const isWhole = (n: unknown): n is number => Number.isInteger(n);
const isWholeAtLeast = (n: unknown, min: number): n is number => isWhole(n) && n >= min;
/** `later - earlier === days`; a missing offset is never the cadence apart (NaN) */
const isDaysApart = (earlier: number | undefined, later: number | undefined, days: number | undefined): boolean =>
  earlier !== undefined && later !== undefined && later - earlier === days;

function isJsonData(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return typeof value !== 'number' || Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonData);
  if (typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((v) => v === undefined || isJsonData(v));
}
