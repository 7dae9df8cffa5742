import { createHmac } from 'node:crypto';
import type { AppConfig } from '../infrastructure/config';

/** DI token for the key that signs and checks store seals (bound in AuditModule from the config). */
export const SEAL_KEY = Symbol('SEAL_KEY');

/**
 * The seal key is derived from the JWT secret, so no second secret has to be managed. The one
 * derivation: the SEAL_KEY provider and the CLI both call it.
 */
export function sealKeyFrom(config: AppConfig): string {
  return createHmac('sha256', config.jwtSecret).update('ordos-integrity-seal').digest('hex');
}
