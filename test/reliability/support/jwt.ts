import { createHmac } from 'node:crypto';

/**
 * Hand-rolled JWTs, so the tests can also mint the tokens a library would refuse to make:
 * `alg: none`, wrong keys, expired ones, tampered payloads.
 */
const b64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export interface Claims {
  sub?: string;
  name?: string;
  role?: string;
  department?: string;
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
}

export function signHs256(
  claims: Claims,
  secret: string,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const body = `${b64url(header)}.${b64url({ iat: Math.floor(Date.now() / 1000), ...claims })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** `alg: none`, no signature (the classic bypass). */
export function unsignedToken(claims: Claims): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ iat: Math.floor(Date.now() / 1000), ...claims })}.`;
}

/** A valid token's header and signature around a payload the holder rewrote (role escalation). */
export function tamperedToken(valid: string, claims: Claims): string {
  const [header, , signature] = valid.split('.');
  return `${header}.${b64url({ iat: Math.floor(Date.now() / 1000), ...claims })}.${signature}`;
}

export function actorClaims(role: string, department?: string): Claims {
  return {
    sub: `${role.toLowerCase()}-${department ?? 'x'}`,
    name: `${role} user`,
    role,
    ...(department ? { department } : {}),
  };
}
