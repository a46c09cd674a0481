import { defaultCatalogue } from '#app/domain';

/**
 * The shape of a centre-year at scale 1 (numbers multiply with `scale`): who works there, which rooms,
 * how many teams of each programme, and how patients move through the care model. Plain data, so a
 * reader can see (and change) what the workload assumes.
 */

export const TIME_ZONE = defaultCatalogue.settings.timeZone;
export const CLINIC = defaultCatalogue.clinicId;

export const SCALE_1 = {
  referrals: 2000,
  teams: 250,
  clinicians: 60,
  secretaries: 4,
} as const;

/** Shares of the year's ACCEPTED courses that take each programme in this workload. */
export const PROGRAMME_DEMAND: Readonly<Record<string, number>> = {
  FORSTAA_SMERTE: 1.0,
  LIVET_MED_SMERTER: 0.85,
  AFSPAENDING: 0.09,
  MBSR: 0.09,
  HA: 0.1,
  NEDTRAPNING: 0.12,
  TERAPIHOLD: 0.06,
};

/**
 * Teams per programme "in catalogue proportion": demand share ÷ the programme's seats in the catalogue
 * (the seats the year's courses need, in teams), scaled to `total` by largest remainder.
 */
export function teamsPerProgramme(total: number): Record<string, number> {
  const weights = defaultCatalogue.programmes.map((p) => ({ code: p.code, w: (PROGRAMME_DEMAND[p.code] ?? 0) / p.seats }));
  const sum = weights.reduce((s, x) => s + x.w, 0);
  const exact = weights.map((x) => ({ code: x.code, n: (x.w / sum) * total }));
  const counts = Object.fromEntries(exact.map((x) => [x.code, Math.floor(x.n)]));
  let left = total - Object.values(counts).reduce((s, n) => s + n, 0);
  for (const x of [...exact].sort((a, b) => (b.n % 1) - (a.n % 1))) {
    if (left-- <= 0) break;
    counts[x.code] += 1;
  }
  return counts;
}

/** Staff roles of each programme as the catalogue defines them (role → count). */
export function staffRoles(programme: string): Array<{ role: string; count: number }> {
  const p = defaultCatalogue.programmes.find((x) => x.code === programme);
  if (!p) throw new Error(`No programme ${programme}`);
  return p.staff.roles.map((r) => ({ role: r.role, count: r.count }));
}

export function programmeSeats(programme: string): number {
  const found = defaultCatalogue.programmes.find((x) => x.code === programme);
  if (!found) throw new Error(`The default catalogue has no programme ${programme}.`);
  return found.seats;
}

/** Weeks ahead within which a programme's teams start (MBSR teachers' yearly retreat lapses after 12 months). */
export const HORIZON_WEEKS: Readonly<Record<string, number>> = {
  FORSTAA_SMERTE: 46,
  LIVET_MED_SMERTER: 48,
  AFSPAENDING: 44,
  MBSR: 38,
  HA: 46,
  NEDTRAPNING: 40,
  TERAPIHOLD: 40,
};

export type Pool =
  'FS' | 'LMS' | 'AFSP' | 'MBSR' | 'HA' | 'NED' | 'TH' | 'PAL' | 'CONTACT_NURSE' | 'SOCIAL_WORKER' | 'PHYSIOTHERAPIST' | 'PSYCHOLOGIST';

export interface ClinicianKind {
  readonly prefix: string;
  /** of 60 at scale 1 */
  readonly count: number;
  readonly professions: readonly string[];
  readonly competences: readonly string[];
  /** earlier Forstå smerte teams (4 as secondary, 1 as apprentice) recorded before the API: qualifies as primary and secondary */
  readonly fsHistory?: boolean;
  readonly pools: readonly Pool[];
}

/** 60 clinicians whose professions and dated competences staff every programme (care-model §1 competence rules). */
export const CLINICIAN_KINDS: readonly ClinicianKind[] = [
  { prefix: 'DOC', count: 8, professions: ['DOCTOR'], competences: [], pools: ['PAL'] },
  { prefix: 'FSN', count: 8, professions: ['NURSE'], competences: ['TEACHING_COURSE'], fsHistory: true, pools: ['FS', 'CONTACT_NURSE'] },
  {
    prefix: 'FSP',
    count: 4,
    professions: ['PHYSIOTHERAPIST'],
    competences: ['TEACHING_COURSE'],
    fsHistory: true,
    pools: ['FS', 'PHYSIOTHERAPIST'],
  },
  { prefix: 'NED', count: 6, professions: ['NURSE'], competences: ['TAPERING_GROUP_INDEPENDENT'], pools: ['NED', 'CONTACT_NURSE'] },
  {
    prefix: 'PSY',
    count: 6,
    professions: ['PSYCHOLOGIST'],
    competences: ['COGNITIVE_THERAPY_EDUCATION', 'ACT_EDUCATION', 'RELAXATION_EXPERIENCE'],
    pools: ['LMS', 'AFSP', 'PSYCHOLOGIST'],
  },
  {
    prefix: 'PSA',
    count: 4,
    professions: ['PSYCHOLOGIST'],
    competences: [
      'PSYCHOLOGIST_AUTHORISATION',
      'CBT_EXPERIENCE',
      'ACT_EXPERIENCE',
      'GROUP_THERAPY_EXPERIENCE',
      'COGNITIVE_THERAPY_EDUCATION',
    ],
    pools: ['TH', 'LMS', 'PSYCHOLOGIST'],
  },
  {
    prefix: 'MBS',
    count: 6,
    professions: ['NURSE'],
    competences: ['MBSR_TEACHER', 'MBSR_DAILY_PRACTICE', 'MBSR_RETREAT'],
    pools: ['MBSR', 'CONTACT_NURSE'],
  },
  {
    prefix: 'SOC',
    count: 6,
    professions: ['SOCIAL_WORKER'],
    competences: ['EMPLOYMENT_FIELD_EXPERIENCE', 'COGNITIVE_THERAPY_EDUCATION', 'RELAXATION_EXPERIENCE', 'MINDFULNESS_EXPERIENCE'],
    pools: ['HA', 'SOCIAL_WORKER'],
  },
  {
    prefix: 'PHY',
    count: 6,
    professions: ['PHYSIOTHERAPIST'],
    competences: ['COGNITIVE_THERAPY_EDUCATION', 'RELAXATION_EXPERIENCE'],
    pools: ['PHYSIOTHERAPIST', 'AFSP'],
  },
  { prefix: 'CNU', count: 6, professions: ['NURSE'], competences: ['COGNITIVE_THERAPY_EDUCATION'], pools: ['LMS', 'CONTACT_NURSE'] },
];

/** Which pool staffs each programme. */
export const PROGRAMME_POOL: Readonly<Record<string, Pool>> = {
  FORSTAA_SMERTE: 'FS',
  LIVET_MED_SMERTER: 'LMS',
  AFSPAENDING: 'AFSP',
  MBSR: 'MBSR',
  HA: 'HA',
  NEDTRAPNING: 'NED',
  TERAPIHOLD: 'TH',
};

/** Rooms at scale 1: name and patient seats. */
export const ROOMS: ReadonlyArray<{ name: string; seats: number }> = [
  { name: 'Store mødelokale', seats: 25 },
  { name: 'Auditoriet', seats: 25 },
  { name: 'Undervisningslokale 1', seats: 25 },
  { name: 'Gruppelokale A', seats: 18 },
  { name: 'Gruppelokale B', seats: 18 },
  { name: 'Gruppelokale C', seats: 16 },
  { name: 'Afspændingsrummet', seats: 15 },
  { name: 'Mødelokale 2', seats: 12 },
  { name: 'Mødelokale 3', seats: 10 },
  { name: 'Mødelokale 4', seats: 10 },
  { name: 'Samtalerum 1', seats: 6 },
  { name: 'Samtalerum 2', seats: 6 },
];

/** How patients move through the care model (shares per course). */
export const FLOW = {
  /** referrals missing some required content: on hold until the GP answers */
  onHold: 0.08,
  /** rejected at paper visitation */
  rejected: 0.07,
  /** excluded at Kort primærsamtale */
  excluded: 0.03,
  /** courses already past Forstå smerte and Livet med smerter when the workload starts (choose stress reduction now) */
  continuing: 0.18,
  /** of continuing courses: health and labour-market programme after stress reduction */
  ha: 0.5,
  /** opioid treatment: tapering team */
  opioid: 0.12,
  sickListed: 0.3,
  physio: 0.2,
  needsInterpreter: 0.03,
  /** seats cancelled afterwards (afbud) */
  cancelled: 0.15,
  /** seats moved to another team (ombooking) */
  rebooked: 0.08,
  /** of freed seats offered to a waiting course: the patient says yes */
  offerAccepted: 0.75,
  /** courses that drop out after booking */
  droppedOut: 0.02,
  /** attendance on today's sessions: no-shows */
  noShow: 0.1,
} as const;
