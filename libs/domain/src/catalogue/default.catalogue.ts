import type { Catalogue } from './catalogue.types.js';
import { defaultInterventions } from './default-interventions.js';
import { defaultProgrammes } from './default-programmes.js';
import { defaultCompetences, defaultFacts, defaultProfessions, SEED_004 } from './default-vocabulary.js';
import { standardPathway } from './default-pathway.js';

/** Smertecenter Syd's catalogue (care-model §1, §2, §5), version 1. Plain JSON: store it, diff it, replace it. */
export const defaultCatalogue: Catalogue = {
  clinicId: 'smertecenter-syd',
  version: 1,
  name: { da: 'Smertecenter Syd', en: 'Pain Centre South' },
  programmes: defaultProgrammes,
  interventions: defaultInterventions,
  pathway: standardPathway,
  professions: defaultProfessions,
  competences: defaultCompetences,
  facts: defaultFacts,
  settings: {
    timeZone: 'Europe/Copenhagen',
    language: 'da',
    offerHoldHours: 48,
    holdMinutes: 15,
    visitationDeadlineHours: 48,
    visitationClockResetsOnHold: false,
    competenceValidityMonths: { MBSR_RETREAT: 12 },
    waitlist: { tieBreak: 'joinedAt', autoOfferFreedSeats: true },
    unknownFact: 'fail',
    roomPeopleCap: null,
  },
  source: {
    careModel: 'care-model.md §1, §2, §5, §6',
    seed: { file: SEED_004, lines: [1, 3641] },
    decisions: [
      'offer hold: 48 hours (settings.offerHoldHours)',
      'a hospital system holds a time it found for 15 minutes before booking it (settings.holdMinutes)',
      'waitlist: referral date first, ties by time joined (settings.waitlist.tieBreak)',
      'a seat freed by release, decline or expiry is offered to the next in line at once (settings.waitlist.autoOfferFreedSeats)',
      'a patient fact not yet recorded fails the criterion that reads it, with the question to ask (settings.unknownFact)',
      'no cap on patients + relatives in the room (settings.roomPeopleCap: null)',
      'the visitation clock is reported, never silently reset, while a referral is on hold (settings.visitationClockResetsOnHold: false)',
    ],
  },
};
