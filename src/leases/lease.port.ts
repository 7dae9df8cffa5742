/** DI token for the LeaseStore. */
export const LEASE_STORE = Symbol('LEASE_STORE');
/** DI token for this process's instance id (a random UUID per start). */
export const INSTANCE_ID = Symbol('INSTANCE_ID');

/**
 * Leases shared by every instance over one store (issue 11 §3): work that must run once in the
 * cluster (a webhook subscription's delivery, sealing) is done only by the instance holding its
 * lease. A lease is held until `ttlMs` after the last successful `acquire` by its owner; an owner
 * that stops renewing (crash, partition) loses it after at most `ttlMs`, and another instance
 * takes it over. Time is the stores' clients' wall clock (all instances are assumed to agree
 * within a small fraction of the ttl).
 */
export interface LeaseStore {
  /** Takes or renews `name` for `owner`; true when `owner` holds it for the next `ttlMs`. */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives `name` up if `owner` holds it (others may take it at once); a no-op otherwise. */
  release(name: string, owner: string): Promise<void>;
  close(): Promise<void>;
}
