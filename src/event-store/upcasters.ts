import type { StoredEvent } from './event-store.port';

/**
 * Lifts an event stored under an older schema to the shape the code reads now. Registered per
 * event type and source schema version; applied on every read (command handling, projections,
 * history, point-in-time state), so stored facts are never rewritten.
 */
export interface Upcaster {
  type: string;
  fromVersion: number;
  toVersion: number;
  upcast(data: Record<string, unknown>): Record<string, unknown>;
}

const registry = new Map<string, Upcaster>();

const key = (type: string, version: number) => `${type}@${version}`;

export function registerUpcaster(upcaster: Upcaster): void {
  if (upcaster.toVersion <= upcaster.fromVersion)
    throw new Error(`upcaster for ${upcaster.type} must raise the version`);
  registry.set(key(upcaster.type, upcaster.fromVersion), upcaster);
}

/** Whether an event of this type and schema version would be changed on read. */
export function needsUpcast(type: string, schemaVersion: number | undefined): boolean {
  return registry.has(key(type, schemaVersion ?? 1));
}

/** Applies every registered step, oldest first, until no upcaster matches. */
export function upcast(event: StoredEvent): StoredEvent {
  let current = event;
  for (;;) {
    const version = current.metadata.schemaVersion ?? 1;
    const step = registry.get(key(current.type, version));
    if (!step) return current;
    current = {
      ...current,
      data: step.upcast(current.data),
      metadata: { ...current.metadata, schemaVersion: step.toVersion },
    };
  }
}
