import { createHmac } from 'node:crypto';
import { SecretBox, signPayload, verifySignature } from '../../src/subscriptions/signature';

describe('webhook signature', () => {
  const secret = 'receiver-shared-secret-123';
  const body = JSON.stringify({ type: 'ProposalApproved', data: { opinion: '同意' } });

  it('is sha256=<hex HMAC of "<timestamp>.<body>"> as a receiver recomputes it', () => {
    const timestamp = '1767225600';
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
    expect(signPayload(secret, timestamp, body)).toBe(`sha256=${expected}`);
  });

  it('verifies, and refuses another body, another secret, or an old timestamp (replay)', () => {
    const now = 1_767_225_600;
    const ts = String(now - 10);
    const header = signPayload(secret, ts, body);
    expect(verifySignature(secret, header, ts, body, { nowSeconds: now })).toBe(true);
    expect(verifySignature(secret, header, ts, body.replace('同意', '不同意'), { nowSeconds: now })).toBe(false);
    expect(verifySignature('another-secret-0000000', header, ts, body, { nowSeconds: now })).toBe(false);
    expect(verifySignature(secret, header, ts, body, { nowSeconds: now + 3600 })).toBe(false);
    expect(verifySignature(secret, header, String(now - 20), body, { nowSeconds: now })).toBe(false);
    expect(verifySignature(secret, undefined, ts, body, { nowSeconds: now })).toBe(false);
  });

  it('keeps secrets encrypted at rest (AES-256-GCM), tamper-evident and key-bound', () => {
    const box = new SecretBox('jwt-secret-0123456789-0123456789-abc');
    const sealed = box.seal(secret);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toBe(box.seal(secret)); // fresh IV each time
    expect(box.open(sealed)).toBe(secret);
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open([...parts.slice(0, 3), flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => new SecretBox('another-key-material-0123456789-xyz').open(sealed)).toThrow();
  });
});

describe('SecretBox under CRYPTO_SUITE=gm', () => {
  it('seals new secrets with SM4 (sm4: prefix), opens both formats, refuses a changed byte', () => {
    const material = 'jwt-secret-0123456789-0123456789-abc';
    const old = new SecretBox(material).seal('old-secret-0123456789');
    const gm = new SecretBox(material, 'gm');
    const sealed = gm.seal('new-secret-0123456789');
    expect(sealed.startsWith('sm4:')).toBe(true);
    expect(gm.open(sealed)).toBe('new-secret-0123456789');
    expect(gm.open(old)).toBe('old-secret-0123456789');
    expect(new SecretBox(material).open(sealed)).toBe('new-secret-0123456789');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => gm.open(tampered)).toThrow();
  });
});
