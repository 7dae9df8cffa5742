import { scanAudit, type ScanProgress } from '../../src/audit/audit-log';
import type { EventMetadata } from '../../src/event-store/envelope';
import type { EventStore, ReadAllOptions, ScanResult, StoredEvent } from '../../src/event-store/event-store.port';

const event = (position: string, type = 'ProjectRegistered'): StoredEvent => ({
  streamId: 'project-1',
  revision: 0,
  position,
  type,
  data: {},
  metadata: { occurredAt: '2026-01-01T00:00:00Z', actor: { sub: 'u', name: 'n', role: 'OFFICE' } } as EventMetadata,
});

/** A store whose scans stop at a budget, as the EventStoreDB adapter's do. */
function pagedStore(pages: ScanResult[]): { store: EventStore; calls: ReadAllOptions[] } {
  const calls: ReadAllOptions[] = [];
  const store = {
    scanAll: async (options: ReadAllOptions) => {
      calls.push(options);
      return pages[calls.length - 1] ?? { events: [], scannedTo: options.after, end: true };
    },
  } as unknown as EventStore;
  return { store, calls };
}

describe('scanAudit over bounded store scans', () => {
  it('continues from scannedTo across empty pages and stops at the end', async () => {
    const { store, calls } = pagedStore([
      { events: [], scannedTo: '100/100', end: false },
      { events: [event('150/150')], scannedTo: '200/200', end: false },
      { events: [], scannedTo: '250/250', end: true },
    ]);
    const progress: ScanProgress = { end: false };
    const seen: string[] = [];
    for await (const e of scanAudit(store, { types: ['ProjectRegistered'] }, { progress })) seen.push(e.position);
    expect(seen).toEqual(['150/150']);
    expect(calls.map((c) => c.after)).toEqual([undefined, '100/100', '200/200']);
    expect(progress).toEqual({ scannedTo: '250/250', end: true });
  });

  it('stops after maxPages and reports where to go on', async () => {
    const { store, calls } = pagedStore([
      { events: [], scannedTo: '100/100', end: false },
      { events: [], scannedTo: '200/200', end: false },
      { events: [event('300/300')], scannedTo: '300/300', end: true },
    ]);
    const progress: ScanProgress = { end: false };
    const seen: string[] = [];
    for await (const e of scanAudit(store, { types: ['ProjectRegistered'] }, { maxPages: 2, progress }))
      seen.push(e.position);
    expect(seen).toEqual([]);
    expect(calls).toHaveLength(2);
    expect(progress).toEqual({ scannedTo: '200/200', end: false });
  });
});
