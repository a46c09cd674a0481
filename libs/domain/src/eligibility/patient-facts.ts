/**
 * What the eligibility rules know about a patient (care-model §5, plus the facts the §1
 * inclusion/exclusion table reads). Every fact is optional: `undefined` means "not yet recorded",
 * which is not the same as `false` (see `evaluateEligibility` for what an unknown fact does).
 * Patients are never named here; the course that owns these facts is identified elsewhere by courseId.
 */
export interface PatientFacts {
  /** needs an interpreter (excludes Forstå smerte and Terapihold) */
  readonly needsInterpreter?: boolean;
  /** can follow the nuances of Danish (Livet med smerter) */
  readonly followsDanishNuances?: boolean;
  /** is in opioid treatment (Nedtrapning) */
  readonly inOpioidTreatment?: boolean;
  /** substance abuse / misbrug, including ongoing abuse (Nedtrapning, Terapihold) */
  readonly substanceAbuse?: boolean;
  /** PTSD or PTSD-like symptoms (Afspænding, MBSR: clearance rule) */
  readonly ptsdSymptoms?: boolean;
  /** a documented trial session or psychologist talk has cleared the PTSD symptoms for relaxation/mindfulness */
  readonly ptsdCleared?: boolean;
  /** severe psychopathology (Livet med smerter: needs assessment; Terapihold: excluded) */
  readonly severePsychopathology?: boolean;
  /** the severe psychopathology has been assessed by a psychologist */
  readonly psychopathologyAssessedByPsychologist?: boolean;
  /** an ongoing medication trial (excludes Livet med smerter) */
  readonly ongoingMedicationTrial?: boolean;
  /** sick-listed (HA) */
  readonly sickListed?: boolean;
  /** unclear employment situation (HA) */
  readonly unclearEmploymentSituation?: boolean;
  /** in, or needing, a job-centre process (HA) */
  readonly jobCentreProcess?: boolean;
  /** has had the social-worker visitation (HA) */
  readonly socialWorkerVisitationDone?: boolean;
  /** acute suicide risk (Terapihold) */
  readonly acuteSuicideRisk?: boolean;
  /** low cognitive function or brain injury (Terapihold) */
  readonly lowCognitiveFunction?: boolean;
  /** in acute crisis (Terapihold) */
  readonly acuteCrisis?: boolean;
  /** motivation per programme code, e.g. `{ MBSR: true }`; a missing key is "not yet recorded" */
  readonly motivatedFor?: Readonly<Record<string, boolean>>;
  /** the stress-reduction option chosen at nurse follow-up 1: a programme code (`AFSPAENDING` or `MBSR`) */
  readonly chosenStressReduction?: string;
  /** programme codes the course has completed; `undefined` = not yet recorded */
  readonly programmesCompleted?: readonly string[];
  /** willing to change how they handle their pain (Livet med smerter) */
  readonly willingToChangePainHandling?: boolean;
  /** willing to do homework (HA) */
  readonly willingToDoHomework?: boolean;
  /** pain handling challenged by psychological problems with real functional impact (Terapihold) */
  readonly psychologicalProblemsImpairFunction?: boolean;
  /** the psychologist visitation recommends a group format (Terapihold) */
  readonly psychologistRecommendsGroup?: boolean;
  /** pressing, unaddressed social issues (Terapihold) */
  readonly pressingSocialIssues?: boolean;
  /** major difficulty being in a group (Terapihold) */
  readonly majorDifficultyInGroups?: boolean;
  /**
   * Facts another clinic's catalogue defines (declared in `Catalogue.facts`), so a new clinic can add
   * criteria without a code change. Looked up when a criterion names a fact not listed above.
   */
  readonly custom?: Readonly<Record<string, boolean | string | undefined>>;
}

/** The fact names above that hold a yes/no value (criteria may `require`/`exclude` them). */
export const BOOLEAN_FACTS = [
  'needsInterpreter',
  'followsDanishNuances',
  'inOpioidTreatment',
  'substanceAbuse',
  'ptsdSymptoms',
  'ptsdCleared',
  'severePsychopathology',
  'psychopathologyAssessedByPsychologist',
  'ongoingMedicationTrial',
  'sickListed',
  'unclearEmploymentSituation',
  'jobCentreProcess',
  'socialWorkerVisitationDone',
  'acuteSuicideRisk',
  'lowCognitiveFunction',
  'acuteCrisis',
  'willingToChangePainHandling',
  'willingToDoHomework',
  'psychologicalProblemsImpairFunction',
  'psychologistRecommendsGroup',
  'pressingSocialIssues',
  'majorDifficultyInGroups',
] as const satisfies readonly (keyof PatientFacts)[];

export type BooleanFactName = (typeof BOOLEAN_FACTS)[number];
/** facts keyed by programme code */
export const KEYED_FACTS = ['motivatedFor'] as const satisfies readonly (keyof PatientFacts)[];
/** facts holding a single code */
export const CODE_FACTS = ['chosenStressReduction'] as const satisfies readonly (keyof PatientFacts)[];
