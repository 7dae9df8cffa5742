import { createCipheriv } from 'node:crypto';
import {
  decryptAtRest,
  digestHex,
  encryptAtRest,
  generateSigningKeyPair,
  hmacHex,
  keyIdOf,
  publicKeyOf,
  signMessage,
  verifyMessage,
  type SignatureAlg,
} from '../../src/infrastructure/crypto-suite';

describe('crypto suite: standards test vectors', () => {
  it('SM3 (GB/T 32905-2016 appendix A, example 1): "abc"', () => {
    expect(digestHex('sm3', 'abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('SM3 (GB/T 32905-2016 appendix A, example 2): "abcd" × 16 (64 bytes)', () => {
    expect(digestHex('sm3', 'abcd'.repeat(16))).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  it('SM4 (GB/T 32907-2016 appendix A, example 1): one block, key = plaintext', () => {
    const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const cipher = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    const out = Buffer.concat([cipher.update(key), cipher.final()]).toString('hex');
    expect(out).toBe('681edf34d206965e86b3e94f536e4246');
  });
});

describe.each<SignatureAlg>(['sm2', 'ed25519'])('signatures: %s', (alg) => {
  const pair = generateSigningKeyPair(alg);

  it('verifies its own signature with the public key only, and refuses a changed message or key', () => {
    const signature = signMessage(pair, 'seal digest');
    expect(verifyMessage(alg, pair.publicKey, 'seal digest', signature)).toBe(true);
    expect(verifyMessage(alg, pair.publicKey, 'seal digesT', signature)).toBe(false);
    const other = generateSigningKeyPair(alg);
    expect(verifyMessage(alg, other.publicKey, 'seal digest', signature)).toBe(false);
    expect(verifyMessage(alg, pair.publicKey, 'seal digest', 'zz')).toBe(false);
  });

  it('derives the public key from the private key and fingerprints it stably', () => {
    expect(publicKeyOf(alg, pair.privateKey)).toBe(pair.publicKey);
    expect(keyIdOf(alg, pair.publicKey)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyIdOf(alg, pair.publicKey)).toBe(keyIdOf(alg, publicKeyOf(alg, pair.privateKey)));
  });
});

it('SM2 signatures depend on the signer id (ZA of GB/T 32918.2)', () => {
  const pair = generateSigningKeyPair('sm2');
  const signature = signMessage(pair, 'm', 'ALICE123@YAHOO.COM');
  expect(verifyMessage('sm2', pair.publicKey, 'm', signature, 'ALICE123@YAHOO.COM')).toBe(true);
  expect(verifyMessage('sm2', pair.publicKey, 'm', signature)).toBe(false);
});

describe.each(['international', 'gm'] as const)('encryption at rest: %s', (suite) => {
  const key = Buffer.alloc(32, 7);

  it('round-trips and refuses an altered value', () => {
    const stored = encryptAtRest(suite, key, 'webhook secret 密钥');
    expect(stored.startsWith('sm4:')).toBe(suite === 'gm');
    expect(decryptAtRest(key, stored)).toBe('webhook secret 密钥');
    const parts = stored.split('.');
    const body = Buffer.from(parts[2], 'base64url');
    body[0] ^= 1;
    parts[2] = body.toString('base64url');
    expect(() => decryptAtRest(key, parts.join('.'))).toThrow();
    expect(() => decryptAtRest(Buffer.alloc(32, 8), stored)).toThrow();
  });
});

it('HMAC-SM3 differs from HMAC-SHA-256 and is keyed', () => {
  expect(hmacHex('hmac-sm3', 'k', 'p')).not.toBe(hmacHex('hmac-sha256', 'k', 'p'));
  expect(hmacHex('hmac-sm3', 'k', 'p')).not.toBe(hmacHex('hmac-sm3', 'k2', 'p'));
  expect(hmacHex('hmac-sm3', 'k', 'p')).toMatch(/^[0-9a-f]{64}$/);
});
