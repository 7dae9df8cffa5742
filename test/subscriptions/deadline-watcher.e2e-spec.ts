import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { DeadlineWatcher } from '../../src/subscriptions/deadline-watcher';
import { startHarness, type Harness } from '../support/harness';
import { approveProject, completeConstruction, waitFor } from './helpers';

describe('deadline watcher', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('marks a missed acceptance deadline exactly once, as the system, on the injected clock', async () => {
    const watcher = h.app.get(DeadlineWatcher);
    const store = h.app.get<EventStore>(EVENT_STORE);
    const id = await approveProject(h, 'D01');
    await completeConstruction(h, id, 'D01', '2026-03-02', '2026-03-02');
    const unit = h.token('CONSTRUCTION_UNIT', 'D01');
    await waitFor(
      async () => (await h.request('GET', `/projects/${id}`, { token: unit })).body.status === 'COMPLETED',
      5000,
      'read model',
    );

    // Within the six months of 第二十一条: nothing to do.
    const early = await watcher.runOnce();
    expect(early.issued).toEqual([]);
    // Nothing is past due yet, so the watcher does not even read the project.
    expect(early.projectsChecked).toBe(0);

    h.clock.set(new Date('2026-10-02T02:00:00.000Z')); // seven months later
    const run = await watcher.runOnce();
    expect(run.issued).toEqual([{ projectId: id, command: 'MarkAcceptanceOverdue', events: ['AcceptanceOverdue'] }]);
    const overdue = (await store.readStream(`project-${id}`)).filter((e) => e.type === 'AcceptanceOverdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0].metadata.actor).toEqual({ sub: 'deadline-watcher', name: '期限监测', role: 'SYSTEM' });
    expect(overdue[0].data).toMatchObject({ projectId: id, acceptanceDueOn: '2026-09-02', detectedOn: '2026-10-02' });
    expect(overdue[0].metadata.occurredAt).toBe('2026-10-02T02:00:00.000Z');

    // Again, before and after the read model caught up: no second event.
    const again = await watcher.runOnce();
    expect(again.issued).toEqual([]);
    await waitFor(
      async () => (await h.request('GET', `/projects/${id}`, { token: unit })).body.overdue === true,
      5000,
      'overdue in read model',
    );
    expect((await watcher.runOnce()).issued).toEqual([]);
    expect((await store.readStream(`project-${id}`)).filter((e) => e.type === 'AcceptanceOverdue')).toHaveLength(1);
  });
});
