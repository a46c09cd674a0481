import { Inject, Injectable } from '@nestjs/common';
import {
  clinicianDecider,
  clinicianVocabularyOf,
  createClinicianDecider,
  type Catalogue,
  type ClinicianCommand,
  type ClinicianEvent,
  type ClinicianState,
  type Decider,
  clinicianStreamId,
} from '#app/domain';
import type { Actor } from '../../platform/auth/actor.js';
import { CatalogueService } from '../../platform/catalogue/catalogue.service.js';
import { ApiError } from '../../platform/http/api-error.js';
import { DeciderStore, type LoadedStream } from '../../platform/write-path/decider-store.js';
import { requireOwnStream } from '../../platform/write-path/write-response.js';
import { STAFF_ID_PATTERN } from '../../platform/http/field-validators.js';

export type ClinicianDecider = Decider<ClinicianCommand, ClinicianEvent, ClinicianState>;

/**
 * Stream `clinician-<id>` (id = the clinician's staff id): loading within the caller's clinic, and the
 * decider that knows the clinic's vocabulary (professions, competences) from its current catalogue.
 * Used by the clinicians resource, by team staffing (AssignTherapist reads the state) and by the
 * team-service process manager.
 */
@Injectable()
export class ClinicianStreams {
  private readonly deciders = new WeakMap<Catalogue, ClinicianDecider>();

  constructor(
    @Inject(DeciderStore) readonly store: DeciderStore,
    @Inject(CatalogueService) private readonly catalogues: CatalogueService,
  ) {}

  async decider(clinicId: string): Promise<{ decider: ClinicianDecider; catalogue: Catalogue }> {
    const catalogue = await this.catalogues.current(clinicId);
    let decider = this.deciders.get(catalogue);
    if (!decider) {
      decider = createClinicianDecider(clinicianVocabularyOf(catalogue));
      this.deciders.set(catalogue, decider);
    }
    return { decider, catalogue };
  }

  /** The clinician's stream; 404 when unknown, malformed or registered by another clinic. */
  async loadOwn(actor: Actor, clinicianId: string): Promise<LoadedStream<ClinicianState>> {
    if (!STAFF_ID_PATTERN.test(clinicianId)) throw ApiError.notFound('clinician', clinicianId);
    // replay needs no vocabulary (evolve is the same), so a clinic without a catalogue still gets a plain 404
    const loaded = await this.store.load(clinicianDecider, clinicianStreamId(clinicianId));
    requireOwnStream(loaded.events, actor, 'clinician', clinicianId);
    return loaded;
  }
}
