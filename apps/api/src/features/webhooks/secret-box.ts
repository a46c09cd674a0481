import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** the signing secrets at `now`: the current one, and the previous one while its overlap runs */
export interface SecretRow {
  webhook_id: string;
  secret_encrypted: Buffer;
  previous_secret_encrypted: Buffer | null;
  previous_secret_until: Date | null;
}

/**
 * Webhook signing secrets at rest: AES-256-GCM under a key derived (HKDF, own label) from the server's
 * secret, bound to the webhook id (additional data), so a database dump alone does not let anyone forge
 * our signatures. The secret must be readable to sign, so it cannot be a one-way hash like feed tokens.
 * Stored form: version (1) | IV (12) | tag (16) | ciphertext.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(serverSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', serverSecret, 'webhooks.secret_encrypted', 'aes-256-gcm v1', 32));
  }

  seal(secret: string, webhookId: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(webhookId, 'utf8'));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), body]);
  }

  open(blob: Buffer, webhookId: string): string {
    if (blob.length <= 1 + IV_BYTES + TAG_BYTES || blob[0] !== FORMAT_V1)
      throw new TypeError('The stored webhook secret has an unknown format.');
    const decipher = createDecipheriv('aes-256-gcm', this.key, blob.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(Buffer.from(webhookId, 'utf8'));
    decipher.setAuthTag(blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new TypeError('The stored webhook secret could not be decrypted with the configured key.');
    }
  }
}
