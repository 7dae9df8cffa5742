import type { BannedSystem } from '../domain';

/**
 * 第二十四条 the department's systems under the construction ban: its projects in operation and
 * its inventoried existing systems whose latest compliance record has a finding of (一) or (三).
 * Implemented by the systems feature over its read model; the command path asks it when a
 * registration, a construction start or an adjustment runs.
 */
export interface ConstructionBan {
  /**
   * As of every event stored before the call (the read model is waited for, up to a bound; past
   * it the answer is a 503 to retry, never a guess). [] when the department may build.
   */
  underBan(departmentCode: string): Promise<BannedSystem[]>;
}

export const CONSTRUCTION_BAN = Symbol('CONSTRUCTION_BAN');
