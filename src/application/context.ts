import { createHash, randomUUID } from 'node:crypto';
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

/** What a command route answers (docs/api.md): the stream's new revision and the events appended. */
export interface CommandAnswer {
  projectId?: string;
  year?: number;
  systemId?: string;
  /** 第七条 framework commands */
  frameworkId?: string;
  revision: number;
  /**
   * Global position of the last event (the `$all` order subscribers see). To read your own write,
   * `GET /projects/:id?minRevision=<revision>` waits until the read model has it.
   */
  position: string;
  events: string[];
  /**
   * 第三十三条: present (true) when the events appended were decided after the measures lapsed
   * (no successor policy in force): the decision rests on expired rules. Absent otherwise.
   */
  policyLapsed?: true;
}

/** A command's answer with its status: 201 when the command opened its stream. */
export interface Dispatched {
  status: 200 | 201;
  body: CommandAnswer;
}

/**
 * An id the client did not send. With an Idempotency-Key it derives from (user, key), so a retry
 * addresses the same project (or order) as the first attempt instead of creating a second one.
 */
export function newId(ctx: RequestContext, purpose: string): string {
  return ctx.idempotencyKey ? idFromKey(ctx.actor.sub, ctx.idempotencyKey, purpose) : randomUUID();
}

/**
 * A name-based UUID (RFC 4122 version-5 layout from SHA-1): the same user retrying with the same
 * key gets the same id, so the retry addresses the same stream and its request hashes the same.
 */
export function idFromKey(actor: string, key: string, purpose: string): string {
  const bytes = createHash('sha1').update(`ordos-idempotency:${purpose}\n${actor}\n${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
