import { randomUUID } from 'node:crypto';
import type { PendingEvent } from '../src/event-store/envelope';

export function pendingEvent(type: string, data: Record<string, unknown>): PendingEvent {
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      actor: { sub: 'bench', name: 'bench', role: 'OFFICE' },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      policy: 'ordos-2020',
      schemaVersion: 1,
    },
  };
}
