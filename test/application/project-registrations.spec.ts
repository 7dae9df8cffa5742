import { ProjectRegistrations } from '../../src/application/project-registrations';
import type { EventStore, StoredEvent } from '../../src/event-store/event-store.port';

/** An event store that answers every project's first event with a registration, and counts reads. */
function registrationsStore(): { store: EventStore; reads: () => number } {
  let reads = 0;
  const store = {
    async readStream(streamId: string): Promise<StoredEvent[]> {
      reads += 1;
      const registered = {
        streamId,
        revision: 0,
        position: '1',
        type: 'ProjectRegistered',
        data: { departmentCode: 'D01' },
        metadata: { eventId: `e-${streamId}`, occurredAt: '2026-03-01T00:00:00.000Z' },
      };
      return [registered as unknown as StoredEvent];
    },
  } as unknown as EventStore;
  return { store, reads: () => reads };
}

describe('ProjectRegistrations cache', () => {
  it('reads a registration once, and evicts the least recently used project beyond its limit', async () => {
    const { store, reads } = registrationsStore();
    const registrations = new ProjectRegistrations(store);
    expect(await registrations.departmentsOf('first')).toEqual({ departmentCode: 'D01' });
    await registrations.departmentsOf('first');
    expect(reads()).toBe(1);
    // Fill the cache to its limit while 'first' keeps being used: it is never the one evicted.
    for (let i = 1; i <= 50_000; i++) {
      await registrations.departmentsOf(`p${i}`);
      if (i % 10_000 === 0) await registrations.departmentsOf('first');
    }
    const before = reads();
    await registrations.departmentsOf('first');
    expect(reads()).toBe(before);
    // 'p1' was the least recently used when the limit was passed: read again.
    await registrations.departmentsOf('p1');
    expect(reads()).toBe(before + 1);
  });
});
