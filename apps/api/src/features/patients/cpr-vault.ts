import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { pseudonymFor, validateCpr } from '#app/domain';

const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The only code that sees a CPR number after validation. Two keys come from one secret (PSEUDONYM_KEY):
 *  - the keyed hash (HMAC-SHA256, `pseudonymFor`) that finds a patient by CPR without storing the number in clear;
 *  - an AES-256-GCM key, derived with HKDF under its own label (key separation), that stores the number
 *    encrypted so staff can still read it where the law requires (letters to the GP).
 * The ciphertext is bound to the patient id (GCM additional data): a blob copied to another row will not open.
 * Stored form: version (1 byte) | IV (12) | tag (16) | ciphertext. Nothing here puts the number in an error.
 */
export class CprVault {
  private readonly encryptionKey: Buffer;

  constructor(private readonly secret: string) {
    this.encryptionKey = Buffer.from(hkdfSync('sha256', secret, 'patients.cpr_encrypted', 'aes-256-gcm v1', 32));
  }

  /** keyed hash of the normalised number; the caller has validated it */
  pseudonym(cpr: string): string {
    return pseudonymFor(cpr, this.secret);
  }

  encrypt(cpr: string, patientId: string): Buffer {
    const checked = validateCpr(cpr);
    if (!checked.ok) throw new TypeError('Cannot encrypt an invalid CPR number.');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(patientId, 'utf8'));
    const body = Buffer.concat([cipher.update(checked.cpr, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(blob: Buffer, patientId: string): string {
    if (blob.length <= 1 + IV_BYTES + TAG_BYTES || blob[0] !== FORMAT_V1)
      throw new TypeError('The stored CPR number has an unknown format.');
    const iv = blob.subarray(1, 1 + IV_BYTES);
    const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv);
    decipher.setAAD(Buffer.from(patientId, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new TypeError('The stored CPR number could not be decrypted with the configured key.');
    }
  }
}
