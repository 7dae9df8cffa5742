import { createHmac } from 'node:crypto';
import type { AppConfig } from '../infrastructure/config';

/** The seal key is derived from the JWT secret, so no second secret has to be managed. */
export function sealKeyFrom(config: AppConfig): string {
  return createHmac('sha256', config.jwtSecret).update('ordos-integrity-seal').digest('hex');
}
