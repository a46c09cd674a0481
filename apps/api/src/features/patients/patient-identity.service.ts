import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { validateCpr } from '#app/domain';
import { AppConfig } from '../../platform/config/app-config.js';
import { ApiError } from '../../platform/http/api-error.js';
import { randomUUID } from 'node:crypto';
import { CprVault } from './cpr-vault.js';

export interface PatientIdentity {
  /** random, meaningless: the only patient reference events carry */
  readonly patientId: string;
  readonly created: boolean;
}

/**
 * The protected table `patients` (migration 1763800004000): the one place a CPR number is kept, encrypted,
 * found by its keyed hash. Erasing a person deletes the row; the events keep only the random patient id,
 * which then leads nowhere.
 */
@Injectable()
export class PatientIdentityService {
  private readonly vault: CprVault;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AppConfig) config: AppConfig,
  ) {
    const key = config.pseudonymKey;
    if (!key) throw new Error('PSEUDONYM_KEY is not configured.');
    this.vault = new CprVault(key);
  }

  /**
   * The clinic's patient with this CPR number, created on first sight. A patient is a separate identity per
   * clinic: the same number in another clinic is another row with an unrelated id. Safe under concurrency:
   * two referrals for the same new patient race on the unique (clinic, hash); the loser's INSERT does
   * nothing and it reads the winner's row.
   */
  async findOrCreate(clinicId: string, cpr: string): Promise<PatientIdentity> {
    const hash = this.vault.pseudonym(checkedCpr(cpr));
    const existing = await this.byHash(clinicId, hash);
    if (existing) return { patientId: existing, created: false };
    const patientId = randomUUID();
    const inserted: Array<{ patient_id: string }> = await this.dataSource.query(
      `INSERT INTO patients (patient_id, clinic_id, cpr_hash, cpr_encrypted) VALUES ($1, $2, $3, $4)
       ON CONFLICT (clinic_id, cpr_hash) DO NOTHING RETURNING patient_id`,
      [patientId, clinicId, hash, this.vault.encrypt(checkedCpr(cpr), patientId)],
    );
    if (inserted.length > 0) return { patientId, created: true };
    const winner = await this.byHash(clinicId, hash);
    if (!winner) throw new Error('A patient row vanished while it was being created (erased concurrently).');
    return { patientId: winner, created: false };
  }

  /** The clinic's patient with this CPR number, without creating one (400 for a number that is not valid). */
  async find(clinicId: string, cpr: string): Promise<string | undefined> {
    return this.byHash(clinicId, this.vault.pseudonym(checkedCpr(cpr)));
  }

  /** The CPR number of a patient (for letters that must carry it); undefined once erased. Never log the result. */
  async reveal(patientId: string): Promise<string | undefined> {
    const rows: Array<{ cpr_encrypted: Buffer }> = await this.dataSource.query('SELECT cpr_encrypted FROM patients WHERE patient_id = $1', [
      patientId,
    ]);
    return rows[0] ? this.vault.decrypt(Buffer.from(rows[0].cpr_encrypted), patientId) : undefined;
  }

  /** Right to erasure: deletes the only link between the person and the event history. */
  async erase(patientId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('DELETE FROM patients WHERE patient_id = $1 RETURNING patient_id', [patientId]);
    return rows.length > 0;
  }

  private async byHash(clinicId: string, hash: string): Promise<string | undefined> {
    const rows: Array<{ patient_id: string }> = await this.dataSource.query(
      'SELECT patient_id FROM patients WHERE clinic_id = $1 AND cpr_hash = $2',
      [clinicId, hash],
    );
    return rows[0]?.patient_id;
  }
}

/** the normalised number, or 400 VALIDATION_FAILED naming the field (never the number) */
function checkedCpr(cpr: string): string {
  const checked = validateCpr(cpr);
  if (!checked.ok) {
    throw new ApiError(400, 'VALIDATION_FAILED', 'Some fields are missing or wrong: cpr.', {
      fields: [{ field: 'cpr', problems: checked.reasons.map((r) => r.reason) }],
    });
  }
  return checked.cpr;
}
