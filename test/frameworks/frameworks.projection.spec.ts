import { fold, frameworkDecider, type FrameworkCommand, type FrameworkEvent } from '../../src/domain';
import type { StoredEvent } from '../../src/event-store/event-store.port';
import { frameworksProjection } from '../../src/frameworks/frameworks.projection';
import type { Doc } from '../../src/read-model/read-model.port';

/** 第七条 the frameworks read model, given the stored events of one framework stream. */
describe('frameworks projection', () => {
  const FID = 'fw-9';
  const unit = (department: string) => ({
    sub: `u-${department}`,
    name: department,
    role: 'CONSTRUCTION_UNIT' as const,
    department,
  });
  const office = { sub: 'u-off', name: '办公室', role: 'OFFICE' as const };
  const now = '2026-03-02T10:00:00+08:00';
  const commands: FrameworkCommand[] = [
    {
      type: 'FileFramework',
      data: {
        frameworkId: FID,
        name: '工程',
        participants: ['D-A', 'D-B'],
        objectives: '目标',
        contentByDepartment: { 'D-A': ['甲'], 'D-B': ['乙'] },
        dataFlows: '流',
        interfaces: '接口',
        dataCatalogue: ['目录'],
      },
      metadata: { now, actor: unit('D-LEAD') },
    },
    { type: 'ConfirmFramework', data: { frameworkId: FID }, metadata: { now, actor: unit('D-B') } },
    { type: 'ConfirmFramework', data: { frameworkId: FID, opinion: '同意' }, metadata: { now, actor: unit('D-A') } },
    { type: 'AcknowledgeFramework', data: { frameworkId: FID, opinion: '受理' }, metadata: { now, actor: office } },
  ];
  const stored: StoredEvent[] = [];
  const events: FrameworkEvent[] = [];
  for (const command of commands) {
    for (const decided of frameworkDecider.decide(command, fold(frameworkDecider, events))) {
      events.push({ type: decided.type, data: decided.data } as FrameworkEvent);
      stored.push({
        streamId: `framework-${FID}`,
        revision: stored.length,
        position: String(stored.length + 1),
        type: decided.type,
        data: decided.data,
        metadata: { occurredAt: '2026-03-02T02:00:00.000Z', actor: command.metadata.actor, policy: decided.policy },
      } as unknown as StoredEvent);
    }
  }

  function project(upTo: number): Doc | null {
    let doc: Doc | null = null;
    for (const event of stored.slice(0, upTo)) {
      const [id] = frameworksProjection.route(event);
      doc = { ...frameworksProjection.evolve(doc, event, id)!, _id: id, _v: event.revision } as Doc;
    }
    return doc;
  }

  it('routes framework streams only, by framework id', () => {
    expect(frameworksProjection.route(stored[0])).toEqual([FID]);
    expect(frameworksProjection.route({ ...stored[0], streamId: 'project-fw-9' })).toEqual([]);
  });

  it('shows who is still to confirm, who confirmed when, and the acknowledgement', () => {
    expect(project(1)).toMatchObject({
      leadDepartment: 'D-LEAD',
      departments: ['D-LEAD', 'D-A', 'D-B'],
      awaitingConfirmation: ['D-A', 'D-B'],
      confirmed: false,
      acknowledged: false,
      revision: 0,
    });
    expect(project(2)).toMatchObject({ awaitingConfirmation: ['D-A'], confirmations: [{ department: 'D-B' }] });
    expect(project(4)).toMatchObject({
      awaitingConfirmation: [],
      confirmed: true,
      acknowledged: true,
      acknowledgement: { opinion: '受理', acknowledgedBy: { role: 'OFFICE' } },
      confirmations: [
        { department: 'D-B', opinion: null },
        { department: 'D-A', opinion: '同意', confirmedBy: { sub: 'u-D-A' } },
      ],
      policy: { id: 'ordos-2020', lapsed: false },
      revision: 3,
    });
  });
});
