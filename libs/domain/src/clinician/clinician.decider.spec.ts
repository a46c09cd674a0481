import { defaultCatalogue } from '../catalogue/default.catalogue.js';
import { given } from '../shared/testing/index.js';
import { clinicianDecider, clinicianVocabularyOf, createClinicianDecider } from './clinician.decider.js';
import type { ClinicianEvent } from './clinician.events.js';
import { replay } from '../shared/index.js';

const NOW = '2025-01-06T09:00:00+01:00';
const registered: ClinicianEvent = {
  type: 'ClinicianRegistered',
  data: { clinicianId: 'c1', professions: ['NURSE'], employmentStart: '2023-05-01', registeredAt: NOW },
};
const strict = createClinicianDecider(clinicianVocabularyOf(defaultCatalogue));

describe('clinician decider (stream clinician-<id>)', () => {
  it('registers a clinician with professions and employment start', () => {
    given(clinicianDecider)
      .when({ type: 'RegisterClinician', clinicianId: 'c1', professions: ['NURSE'], employmentStart: '2023-05-01', now: NOW })
      .then([registered]);
  });

  it('refuses a second registration, no profession, an unknown profession, and commands before registration', () => {
    given(clinicianDecider, [registered])
      .when({ type: 'RegisterClinician', clinicianId: 'c1', professions: ['NURSE'], employmentStart: '2023-05-01', now: NOW })
      .thenRefused('CLINICIAN_ALREADY_REGISTERED');
    given(clinicianDecider)
      .when({ type: 'RegisterClinician', clinicianId: 'c1', professions: [], employmentStart: '2023-05-01', now: NOW })
      .thenRefused('PROFESSION_REQUIRED');
    const unknown = given(strict)
      .when({ type: 'RegisterClinician', clinicianId: 'c1', professions: ['ASTRONAUT', 'NURSE'], employmentStart: '2023-05-01', now: NOW })
      .thenRefused('UNKNOWN_PROFESSION');
    expect(unknown.failures).toHaveLength(1);
    given(clinicianDecider)
      .when({ type: 'GrantCompetence', clinicianId: 'c1', competence: 'MBSR_RETREAT', grantedAt: '2024-10-01', now: NOW })
      .thenRefused('CLINICIAN_NOT_REGISTERED');
  });

  it('grants a dated competence (when it was obtained, optional expiry) and refuses future or inverted dates', () => {
    given(clinicianDecider, [registered])
      .when({ type: 'GrantCompetence', clinicianId: 'c1', competence: 'MBSR_RETREAT', grantedAt: '2024-10-01', now: NOW })
      .then([
        {
          type: 'CompetenceGranted',
          data: { clinicianId: 'c1', competence: 'MBSR_RETREAT', grantedAt: '2024-10-01', expiresAt: null, recordedAt: NOW },
        },
      ]);
    given(clinicianDecider, [registered])
      .when({ type: 'GrantCompetence', clinicianId: 'c1', competence: 'X', grantedAt: '2025-06-01', now: NOW })
      .thenRefused('COMPETENCE_DATE_IN_FUTURE');
    given(clinicianDecider, [registered])
      .when({ type: 'GrantCompetence', clinicianId: 'c1', competence: 'X', grantedAt: '2024-06-01', expiresAt: '2024-01-01', now: NOW })
      .thenRefused('INVALID_EXPIRY');
    given(strict, [registered])
      .when({ type: 'GrantCompetence', clinicianId: 'c1', competence: 'JUGGLING', grantedAt: '2024-06-01', now: NOW })
      .thenRefused('UNKNOWN_COMPETENCE');
  });

  it('revokes a held competence, and refuses revoking one not held', () => {
    const granted: ClinicianEvent = {
      type: 'CompetenceGranted',
      data: { clinicianId: 'c1', competence: 'ACT_EDUCATION', grantedAt: '2020-01-01', expiresAt: null, recordedAt: NOW },
    };
    const events = given(clinicianDecider, [registered, granted])
      .when({ type: 'RevokeCompetence', clinicianId: 'c1', competence: 'ACT_EDUCATION', now: NOW })
      .thenEvents();
    const state = replay(clinicianDecider, [registered, granted, ...events]);
    expect(state.competences).toEqual([{ competence: 'ACT_EDUCATION', grantedAt: '2020-01-01', expiresAt: null, revokedAt: NOW }]);
    given(clinicianDecider, [registered])
      .when({ type: 'RevokeCompetence', clinicianId: 'c1', competence: 'ACT_EDUCATION', now: NOW })
      .thenRefused('COMPETENCE_NOT_HELD');
  });

  it('records team service once per team (idempotent for the process manager) and never ahead of time', () => {
    const served: ClinicianEvent = {
      type: 'TeamServiceRecorded',
      data: { clinicianId: 'c1', teamId: 't1', programme: 'FORSTAA_SMERTE', role: 'apprentice', servedAt: '2024-12-02T13:00:00+01:00' },
    };
    given(clinicianDecider, [registered])
      .when({
        type: 'RecordTeamService',
        clinicianId: 'c1',
        teamId: 't1',
        programme: 'FORSTAA_SMERTE',
        role: 'apprentice',
        servedAt: '2024-12-02T13:00:00+01:00',
        now: NOW,
      })
      .then([served]);
    given(clinicianDecider, [registered, served])
      .when({
        type: 'RecordTeamService',
        clinicianId: 'c1',
        teamId: 't1',
        programme: 'FORSTAA_SMERTE',
        role: 'apprentice',
        servedAt: '2024-12-02T13:00:00+01:00',
        now: NOW,
      })
      .thenRefused('TEAM_SERVICE_ALREADY_RECORDED');
    given(clinicianDecider, [registered])
      .when({
        type: 'RecordTeamService',
        clinicianId: 'c1',
        teamId: 't2',
        programme: 'FORSTAA_SMERTE',
        role: 'secondary',
        servedAt: '2025-03-01',
        now: NOW,
      })
      .thenRefused('SERVICE_DATE_IN_FUTURE');
  });

  it('derives "apprentice at least once" from the recorded history, not from a typed-in competence (care-model §1)', () => {
    const served: ClinicianEvent = {
      type: 'TeamServiceRecorded',
      data: { clinicianId: 'c1', teamId: 't1', programme: 'FORSTAA_SMERTE', role: 'apprentice', servedAt: '2024-12-02T13:00:00+01:00' },
    };
    const state = replay(clinicianDecider, [registered, served]);
    expect(state.teamService).toEqual([
      { teamId: 't1', programme: 'FORSTAA_SMERTE', role: 'apprentice', servedAt: '2024-12-02T13:00:00+01:00' },
    ]);
    expect(state.competences).toEqual([]);
  });
});
