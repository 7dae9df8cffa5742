import { randomUUID } from 'node:crypto';
import { fold, projectDecider, type ProjectEvent } from '../../src/domain';
import type { StoredEvent } from '../../src/event-store/event-store.port';
import { projectsProjection } from '../../src/projects/projects.projection';
import type { Doc } from '../../src/read-model/read-model.port';
import { c, command, H, PID, DEPT, play } from '../domain/fixtures';

/**
 * The projects read model, given stored events: the document the list and detail read, how it
 * counts families, and that it follows one stream by revision so a replay changes nothing.
 */
describe('projects projection', () => {
  const STREAM = `project-${PID}`;

  /** The domain's events as the store hands them to the runner: one stream, revisions 0, 1, 2… */
  function stored(events: ProjectEvent[], streamId = STREAM): StoredEvent[] {
    return events.map((event, revision) => ({
      streamId,
      revision,
      position: String(revision + 1),
      type: event.type,
      data: { ...event.data },
      metadata: {
        eventId: randomUUID(),
        occurredAt: new Date(Date.UTC(2026, 0, 5 + revision)).toISOString(),
        actor: { sub: 'u-cu', name: '教育局 张三', role: 'CONSTRUCTION_UNIT', department: DEPT },
        correlationId: randomUUID(),
        causationId: randomUUID(),
        policy: 'ordos-2020',
        schemaVersion: 1,
        prevHash: '0'.repeat(64),
        hash: '0'.repeat(64),
      },
    }));
  }

  /**
   * What the projection runner does with one event (src/projections/projection.ts): route it, skip
   * it when the document already has its revision (`_v`), evolve, finalize, store with `_v`.
   */
  function apply(doc: Doc | null, event: StoredEvent): Doc | null {
    const [id] = projectsProjection.route(event);
    if (id === undefined || (doc && doc._v >= event.revision)) return doc;
    const body = projectsProjection.evolve(doc, event, id);
    if (body === null) return null;
    const finalized = projectsProjection.finalize ? projectsProjection.finalize(body) : body;
    return { ...finalized, _id: id, _v: event.revision };
  }

  const project = (events: StoredEvent[], from: Doc | null = null) => events.reduce(apply, from);

  it('a registration: the fields the list filters, sorts and groups on', () => {
    const [registered] = stored(H.registered());
    const doc = project([registered]);
    expect(doc).toMatchObject({
      _id: PID,
      _v: 0,
      projectId: PID,
      name: '智慧教育平台',
      category: 'SOFTWARE',
      departmentCode: DEPT,
      departments: [DEPT],
      planYear: 2026,
      status: 'DRAFT_PLAN',
      estimateFen: 300_000_000,
      overdue: false,
      eventsByFamily: { initiation: 1 },
      eventCount: 1,
      registeredAt: registered.metadata.occurredAt,
      updatedAt: registered.metadata.occurredAt,
      revision: 0,
    });
    expect(doc?.state).toMatchObject({ projectId: PID, status: 'DRAFT_PLAN' });
  });

  it('a cross-department project is listed under every department it involves', () => {
    const framework = {
      frameworkId: 'fw-1',
      leadDepartment: 'D-GOV',
      participants: [DEPT, 'D-HEALTH'],
      acknowledged: true,
    };
    const doc = project(stored(H.registered({ crossDepartment: { frameworkId: 'fw-1' }, framework })));
    expect(doc?.departments).toEqual([DEPT, 'D-GOV', 'D-HEALTH']);
    expect(doc?.crossDepartment).toEqual({
      leadDepartment: 'D-GOV',
      participants: [DEPT, 'D-HEALTH'],
      frameworkId: 'fw-1',
    });
  });

  it('an old registration with the free frameworkPlanRef (before frameworks were a record) projects as before', () => {
    const [registered] = H.registered();
    const crossDepartment = { leadDepartment: 'D-GOV', participants: [DEPT, 'D-HEALTH'], frameworkPlanRef: 'fw-1' };
    const old = { ...registered, data: { ...registered.data, crossDepartment } } as ProjectEvent;
    const doc = project(stored([old]));
    expect(doc?.departments).toEqual([DEPT, 'D-GOV', 'D-HEALTH']);
    expect(doc?.crossDepartment).toEqual(crossDepartment);
  });

  it('counts events per family, and keeps revision, updatedAt and registeredAt of the stream', () => {
    const events = stored(play([c.adjust(10_000_000)], H.underConstruction()));
    const doc = project(events);
    const last = events[events.length - 1];
    expect(last.type).toBe('AdjustmentFiled');
    expect(doc).toMatchObject({
      status: 'UNDER_CONSTRUCTION',
      eventsByFamily: { initiation: 4, approval: 5, construction: 3, adjustment: 1 },
      eventCount: events.length,
      revision: last.revision,
      _v: last.revision,
      registeredAt: events[0].metadata.occurredAt,
      updatedAt: last.metadata.occurredAt,
      approvedEstimateFen: 300_000_000,
      adjustedFundsTotalFen: 10_000_000,
      adjustedRatio: 10_000_000 / 300_000_000,
    });
    // Under construction, the annual performance report is owed: the deadline fields carry it.
    expect(doc?.duePerformanceReport).toEqual(expect.any(String));
    expect(doc?.nextDueOn).toBe(doc?.duePerformanceReport);
  });

  it('the document is the domain state folded from the stream (the read model agrees with decide)', () => {
    const domainEvents = H.underConstruction();
    expect(project(stored(domainEvents))?.state).toEqual(fold(projectDecider, domainEvents));
  });

  it('a replay changes nothing: events at or below the document revision are skipped', () => {
    const events = stored(H.underConstruction());
    const doc = project(events);
    // The runner restarting from an older checkpoint delivers the same events again.
    expect(project(events, doc)).toEqual(doc);
    expect(project(events.slice(3), doc)).toEqual(doc);
  });

  it('a rebuild from the start gives the same document', () => {
    const events = stored(H.underConstruction());
    expect(project(events)).toEqual(project(events));
  });

  it('policy {id, lapsed}: the policy of the latest decision, as each event recorded it (第三十三条)', () => {
    const decided = (e: StoredEvent, policy: string, lapsed: boolean): StoredEvent => {
      const { policyLapsed: _previous, ...metadata } = e.metadata;
      return {
        ...e,
        metadata: { ...metadata, policy, ...(lapsed ? { policyLapsed: true } : {}) } as StoredEvent['metadata'],
      };
    };
    const [registered, ...later] = stored(H.approved());
    const old = project([registered]);
    expect(old?.policy).toEqual({ id: 'ordos-2020', lapsed: false });
    const lapsed = later.map((e) => decided(e, 'ordos-2020', true));
    expect(project(lapsed, old)?.policy).toEqual({ id: 'ordos-2020', lapsed: true });
    const last = lapsed.length - 1;
    const successor = lapsed.map((e, i) => (i < last ? e : decided(e, 'ordos-2030', false)));
    const doc = project([registered, ...successor]);
    expect(doc?.policy).toEqual({ id: 'ordos-2030', lapsed: false });
    // Rebuilt from the same events, the same answer; a record that decided nothing changes nothing.
    expect(project([registered, ...successor])).toEqual(doc);
    const undecided = { ...decided(successor[last], 'n/a', false), revision: 99 };
    expect(project([undecided], doc)?.policy).toEqual({ id: 'ordos-2030', lapsed: false });
  });

  it('v11: events stored before it give the open asset registration and incident decision', () => {
    const accepted = project(stored(H.accepted()));
    expect(accepted?.undatedKinds).toEqual(['ASSET_REGISTRATION']);
    expect(accepted?.inboxRoles).toEqual(['CONSTRUCTION_UNIT', 'FINANCE']);
    expect(accepted?.openObligations).toContainEqual(
      expect.objectContaining({ kind: 'ASSET_REGISTRATION', dueOn: null, article: '第二十三条' }),
    );
    const reported = play(
      [c.start(), command('ReportIncident', { incidentId: 'i-1', kind: 'SERIOUS_DELAY', description: 'd' })],
      H.ready(),
    );
    const doc = project(stored(reported));
    expect(doc?.undatedKinds).toEqual(['INCIDENT_DECISION']);
    expect(doc?.openIncidents).toBe(1);
    expect(doc?.inboxRoles).toEqual(['CONSTRUCTION_UNIT', 'FINANCE', 'OFFICE']);
    // the fields of v10 keep their answers
    expect(doc?.overdue).toBe(false);
    expect(doc?.nextDueOn).toBe(doc?.duePerformanceReport);
  });

  it('v13: subStatus — events stored before it tell a submitted stage from an approved one', () => {
    const submitted = play([c.submitProposal()], H.registered());
    expect(project(stored(submitted))).toMatchObject({ status: 'PROPOSAL', subStatus: 'AWAITING_APPROVAL' });
    const approved = play([c.approveProposal()], submitted);
    expect(project(stored(approved))).toMatchObject({ status: 'PROPOSAL', subStatus: 'APPROVED_AWAITING_FEASIBILITY' });
    expect(project(stored(H.underConstruction()))?.subStatus).toBeNull();
    expect(project(stored(H.completed()))?.subStatus).toBe('AWAITING_ACCEPTANCE_PLAN');
  });

  it('ignores events of other streams', () => {
    const [registered] = stored(H.registered());
    const others = ['annual-plan-2026', 'idempotency-0a1b', '$integrity-seal', 'projects-x', `x-project-${PID}`];
    for (const streamId of others) {
      expect(projectsProjection.route({ ...registered, streamId })).toEqual([]);
    }
    const doc = project([registered]);
    const elsewhere = stored(H.underConstruction(), 'annual-plan-2026');
    expect(project(elsewhere, doc)).toBe(doc);
  });
});
