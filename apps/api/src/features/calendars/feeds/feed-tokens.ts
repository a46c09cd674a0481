import { createHash, createHmac, hkdfSync } from 'node:crypto';

/**
 * Feed tokens: `cal_<43 base64url characters>` = HMAC-SHA256 under a key derived (HKDF, own label) from
 * the server secret, of the feed id. Only the SHA-256 of a token is stored (calendar_feeds.token_sha256).
 * Deriving the token from the feed id (itself derived from the caller's Idempotency-Key, when one is sent)
 * lets a retried POST /calendar-feeds answer with the same token without the token being stored anywhere.
 */
export class FeedTokens {
  private readonly key: Buffer;

  constructor(serverSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', serverSecret, 'calendar_feeds.token', 'hmac-sha256 v1', 32));
  }

  token(feedId: string): string {
    return `cal_${createHmac('sha256', this.key).update(feedId).digest('base64url')}`;
  }

  static hash(token: string): string {
    return createHash('sha256').update(token, 'utf8').digest('hex');
  }
}
