import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { decryptAtRest, encryptAtRest, type CryptoSuiteName } from '../infrastructure/crypto-suite';

/**
 * Webhook signature: `X-Signature: sha256=<hex HMAC-SHA256(secret, "<X-Timestamp>.<raw body>")>`.
 * The timestamp (Unix seconds, wall clock) is inside the MAC, so a receiver that refuses
 * timestamps older than a few minutes cannot be fed a captured delivery again.
 */
export function signPayload(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (README-webhooks.md): recompute, compare in constant time, check age. */
export function verifySignature(
  secret: string,
  header: string | undefined,
  timestamp: string | undefined,
  body: string,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  if (!header || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signPayload(secret, timestamp, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Webhook secrets at rest: AES-256-GCM under a key derived with HKDF-SHA256 from
 * WEBHOOK_SECRET_KEY or, without it, from JWT_SECRET (separate `info`, so the JWT key itself is
 * never used to encrypt). Format: `v1.<iv>.<tag>.<ciphertext>` (base64url).
 * Rotating the source key makes stored secrets unreadable: re-create the subscriptions.
 * Under CRYPTO_SUITE=gm new secrets are sealed as `sm4:…` (SM4-CBC + HMAC-SM3, see crypto-suite.ts)
 * under a separately derived key; both formats stay readable whichever suite runs.
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly gmKey: Buffer;

  constructor(
    keyMaterial: string,
    private readonly suite: CryptoSuiteName = 'international',
  ) {
    this.key = Buffer.from(
      hkdfSync('sha256', keyMaterial, 'ordos-webhook-secrets', 'webhook-secret-aes-256-gcm v1', 32),
    );
    this.gmKey = Buffer.from(
      hkdfSync('sha256', keyMaterial, 'ordos-webhook-secrets', 'webhook-secret-sm4-cbc-hmac-sm3 v1', 32),
    );
  }

  seal(plain: string): string {
    if (this.suite === 'gm') return encryptAtRest('gm', this.gmKey, plain);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    if (sealed.startsWith('sm4:')) return decryptAtRest(this.gmKey, sealed);
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('unknown sealed secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
