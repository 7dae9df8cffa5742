import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign as nodeSign,
  timingSafeEqual,
  verify as nodeVerify,
} from 'node:crypto';
import { sm2 } from 'sm-crypto';

/**
 * The two crypto suites (CRYPTO_SUITE): `international` (SHA-256, Ed25519, AES-256-GCM,
 * HMAC-SHA-256) and `gm` (SM3 GB/T 32905, SM2 GB/T 32918, SM4 GB/T 32907, HMAC-SM3).
 * SM3 and SM4 come from Node's OpenSSL; SM2 signatures (with the ZA user-id digest) from sm-crypto.
 */
export type CryptoSuiteName = 'international' | 'gm';
export type HashAlg = 'sha256' | 'sm3';
export type SignatureAlg = 'ed25519' | 'sm2';
export type HmacAlg = 'hmac-sha256' | 'hmac-sm3';

/** The default SM2 signer identity of GB/T 32918 / GM/T 0009 (ZA input). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

export const HASH_ALG: Record<CryptoSuiteName, HashAlg> = { international: 'sha256', gm: 'sm3' };

/** Hex digest of the concatenated parts. */
export function digestHex(alg: HashAlg, ...parts: (string | Buffer)[]): string {
  const hash = createHash(alg);
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

export function hmacHex(alg: HmacAlg, secret: string | Buffer, payload: string | Buffer): string {
  return createHmac(alg === 'hmac-sm3' ? 'sm3' : 'sha256', secret)
    .update(payload)
    .digest('hex');
}

/** A signing key pair in its suite's text form: Ed25519 as PEM (PKCS#8 / SPKI), SM2 as hex. */
export interface SigningKeyPair {
  alg: SignatureAlg;
  privateKey: string;
  publicKey: string;
}

const SM2_PRIVATE_HEX = /^[0-9a-f]{64}$/i;
const SM2_PUBLIC_HEX = /^04[0-9a-f]{128}$/i;

export function generateSigningKeyPair(alg: SignatureAlg): SigningKeyPair {
  if (alg === 'sm2') {
    const pair = sm2.generateKeyPairHex();
    return { alg, privateKey: pair.privateKey, publicKey: normalizeSm2Public(pair.publicKey) };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    alg,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function normalizeSm2Public(hex: string): string {
  const h = hex.trim().toLowerCase();
  if (SM2_PUBLIC_HEX.test(h)) return h;
  throw new Error('an SM2 public key is the uncompressed point as hex: 04 followed by 128 hex digits');
}

/** sm-crypto 0.5.8 exports getPublicKeyFromPrivateKey; @types/sm-crypto 0.3.4 does not declare it. */
const sm2WithDerivation = sm2 as typeof sm2 & { getPublicKeyFromPrivateKey(privateKey: string): string };

/** The public key of a private key, in the suite's text form. */
export function publicKeyOf(alg: SignatureAlg, privateKey: string): string {
  if (alg === 'sm2') {
    const key = privateKey.trim().toLowerCase();
    if (!SM2_PRIVATE_HEX.test(key)) throw new Error('an SM2 private key is 64 hex digits');
    return normalizeSm2Public(sm2WithDerivation.getPublicKeyFromPrivateKey(key));
  }
  return createPublicKey(createPrivateKey(privateKey)).export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * Key id: the public key's fingerprint, SM3 of the uncompressed point for SM2, SHA-256 of the
 * SPKI DER for Ed25519 (hex).
 */
export function keyIdOf(alg: SignatureAlg, publicKey: string): string {
  if (alg === 'sm2') return digestHex('sm3', Buffer.from(normalizeSm2Public(publicKey), 'hex'));
  const der = createPublicKey(publicKey).export({ type: 'spki', format: 'der' });
  return digestHex('sha256', der);
}

/** Signs UTF-8 `message`; hex signature (SM2: r‖s, 128 hex digits, over SM3(ZA ‖ M)). */
export function signMessage(pair: SigningKeyPair, message: string, userId = SM2_DEFAULT_USER_ID): string {
  if (pair.alg === 'sm2') {
    return sm2.doSignature(message, pair.privateKey.trim().toLowerCase(), {
      hash: true,
      publicKey: pair.publicKey,
      userId,
    });
  }
  return nodeSign(null, Buffer.from(message, 'utf8'), createPrivateKey(pair.privateKey)).toString('hex');
}

export function verifyMessage(
  alg: SignatureAlg,
  publicKey: string,
  message: string,
  signatureHex: string,
  userId = SM2_DEFAULT_USER_ID,
): boolean {
  if (typeof signatureHex !== 'string' || !/^[0-9a-f]+$/i.test(signatureHex)) return false;
  try {
    if (alg === 'sm2') {
      return sm2.doVerifySignature(message, signatureHex.toLowerCase(), normalizeSm2Public(publicKey), {
        hash: true,
        userId,
      });
    }
    return nodeVerify(null, Buffer.from(message, 'utf8'), createPublicKey(publicKey), Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

/**
 * Authenticated encryption at rest. `international`: AES-256-GCM, stored as
 * `iv.tag.ciphertext` (base64url). `gm`: this OpenSSL has no
 * SM4-GCM, so SM4-CBC then HMAC-SM3 over iv ‖ ciphertext (encrypt-then-MAC), stored as
 * `sm4:iv.mac.ciphertext`. The 32-byte key is split: first 16 bytes SM4, last 16 HMAC-SM3.
 * Decryption reads the format from the value, so secrets written under either suite stay readable.
 */
export function encryptAtRest(suite: CryptoSuiteName, key: Buffer, plaintext: string): string {
  if (key.length !== 32) throw new Error('the at-rest key is 32 bytes');
  if (suite === 'gm') {
    const iv = randomBytes(16);
    const cipher = createCipheriv('sm4-cbc', key.subarray(0, 16), iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const mac = createHmac('sm3', key.subarray(16)).update(iv).update(body).digest();
    return `sm4:${[iv, mac, body].map((b) => b.toString('base64url')).join('.')}`;
  }
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

/** Throws when the value was altered or the key is wrong. */
export function decryptAtRest(key: Buffer, stored: string): string {
  if (stored.startsWith('sm4:')) {
    const [iv, mac, body] = stored
      .slice(4)
      .split('.')
      .map((part) => Buffer.from(part, 'base64url'));
    if (!iv || !mac || !body) throw new Error('malformed SM4 value');
    const expected = createHmac('sm3', key.subarray(16)).update(iv).update(body).digest();
    if (expected.length !== mac.length || !timingSafeEqual(expected, mac)) throw new Error('SM4 value was altered');
    const decipher = createDecipheriv('sm4-cbc', key.subarray(0, 16), iv);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
  const [iv, tag, body] = stored.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !body) throw new Error('malformed AES-GCM value');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
