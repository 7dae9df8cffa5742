import type { Actor } from '../domain';

/** Who issues a command and which request caused it: what every event's metadata records. */
export interface RequestContext {
  actor: Actor;
  /** Ties together everything one user action caused (x-correlation-id, else this request). */
  correlationId: string;
  /** The request that caused the events: this request's id. */
  causationId: string;
  idempotencyKey?: string;
}
