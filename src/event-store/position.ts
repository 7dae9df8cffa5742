import type { Position } from './event-store.port';

/**
 * Positions are "C" (SQLite sequence) or "C/P" (EventStoreDB commit/prepare). Both parts are
 * unsigned 64-bit integers, so they are compared as bigints, never as numbers or strings.
 */
export function parsePosition(position: Position): { commit: bigint; prepare: bigint } {
  const match = /^(\d{1,20})(?:\/(\d{1,20}))?$/.exec(position);
  if (!match) throw new Error(`invalid position: ${position}`);
  const commit = BigInt(match[1]);
  const prepare = match[2] === undefined ? commit : BigInt(match[2]);
  return { commit, prepare };
}

export function isPosition(value: string): boolean {
  return /^(\d{1,20})(?:\/(\d{1,20}))?$/.test(value);
}

export function comparePositions(a: Position, b: Position): number {
  const pa = parsePosition(a);
  const pb = parsePosition(b);
  if (pa.commit !== pb.commit) return pa.commit < pb.commit ? -1 : 1;
  if (pa.prepare !== pb.prepare) return pa.prepare < pb.prepare ? -1 : 1;
  return 0;
}

/** A string that sorts like the position (fixed width), for stores that compare strings. */
export function positionSortKey(position: Position): string {
  const { commit, prepare } = parsePosition(position);
  return `${commit.toString().padStart(20, '0')}/${prepare.toString().padStart(20, '0')}`;
}
