import { FastTrackReason, ProjectEvent, fold, projectDecider, stateView } from '../../../src/domain';
import { DeciderSpecification } from '../decider-specification';
import { EARLY, H, PID, actingAs, at, c, outside, play, registration } from '../fixtures';

const spec = DeciderSpecification(projectDecider);
const FAST = { reason: 'CITY_REQUIREMENT', urgent: true, depthMet: true, evidenceRef: 'doc:city-requirement' } as const;

describe('第五条 registering a project plan (ProjectRegistered 项目计划已登记)', () => {
  it('registers with every plan field and the civil date', () => {
    spec
      .given([])
      .when(c.register())
      .then([
        {
          type: 'ProjectRegistered',
          data: {
            projectId: PID,
            ...registration(),
            crossDepartment: null,
            fastTrack: null,
            registeredOn: '2026-11-26',
          },
        },
      ]);
  });

  it('records the finance investment library id (财政投资项目库) when one is given, nothing when blank', () => {
    spec
      .given([])
      .when(c.register({ financeLibraryId: 'CZ-2026-0042' }))
      .thenMatches([{ type: 'ProjectRegistered', data: { financeLibraryId: 'CZ-2026-0042' } }]);
    const [blank] = spec
      .given([])
      .when(c.register({ financeLibraryId: ' ' }))
      .thenMatches([{ type: 'ProjectRegistered' }]);
    expect(blank.data).not.toHaveProperty('financeLibraryId');
  });

  it('stamps the article and the policy, flagged as lapsed after 2025-06-21', () => {
    const [event] = spec
      .given([])
      .when(c.register())
      .thenMatches([{ type: 'ProjectRegistered', article: '第二条、第五条、第九条', policy: 'ordos-2020' }]);
    expect(event.policyLapsed).toBe(true);
  });

  it('refuses a second registration of the same project (CONFLICT)', () => {
    spec.given(H.registered()).when(c.register()).thenThrows('PROJECT_EXISTS', 'CONFLICT');
  });

  it('refuses a department other than the caller’s', () => {
    spec
      .given([])
      .when(c.register({ departmentCode: 'D-HEALTH' }))
      .thenThrows('DEPARTMENT_MISMATCH', 'FORBIDDEN');
  });

  it.each([0, -1, 1.5])('refuses an estimate of %p fen', (estimateFen) => {
    spec.given([]).when(c.register({ estimateFen })).thenThrows('INVALID_AMOUNT', 'RULE_VIOLATION');
  });

  it.each(['OFFICE', 'AUDIT', 'FINANCE', 'LEADING_GROUP', 'SUPERVISOR', 'GOVERNMENT', 'SYSTEM'] as const)(
    'forbids role %s (第三条)',
    (role) => {
      const error = spec
        .given([])
        .when(actingAs({ sub: 'x', name: 'x', role }, c.register()))
        .thenThrows('ROLE_NOT_ALLOWED', 'FORBIDDEN');
      expect(error.article).toBe('第三条');
    },
  );
});

describe('第七条 cross-department projects', () => {
  // The facts of the framework the part names, as the command path reads them from its stream.
  const framework = {
    frameworkId: 'fw-1',
    leadDepartment: 'D-BIG',
    participants: ['D-EDU', 'D-HEALTH'],
    acknowledged: true,
  };
  const part = { frameworkId: 'fw-1' };
  const recorded = { leadDepartment: 'D-BIG', participants: ['D-EDU', 'D-HEALTH'], frameworkId: 'fw-1' };

  it("a participant registers its own part of an acknowledged framework, recording the framework's departments", () => {
    spec
      .given([])
      .when(c.register({ crossDepartment: part, framework }))
      .thenMatches([
        { type: 'ProjectRegistered', data: { crossDepartment: recorded }, article: '第二条、第五条、第七条、第九条' },
      ]);
  });

  it("the lead registers its part too; stated departments must be the framework's", () => {
    const lead = { ...c.register({ crossDepartment: part, framework, departmentCode: 'D-BIG' }) };
    const asLead = { ...lead, metadata: { ...lead.metadata, actor: { ...lead.metadata.actor, department: 'D-BIG' } } };
    spec
      .given([])
      .when(asLead)
      .thenMatches([{ type: 'ProjectRegistered', data: { crossDepartment: recorded } }]);
    const stated = { ...part, leadDepartment: 'D-BIG', participants: ['D-HEALTH', 'D-EDU'] };
    spec
      .given([])
      .when(c.register({ crossDepartment: stated, framework }))
      .thenMatches([{ type: 'ProjectRegistered', data: { crossDepartment: recorded } }]);
    spec
      .given([])
      .when(c.register({ crossDepartment: { ...part, leadDepartment: 'D-EDU' }, framework }))
      .thenThrows('CROSS_DEPARTMENT_INVALID');
    spec
      .given([])
      .when(c.register({ crossDepartment: { ...part, participants: ['D-EDU'] }, framework }))
      .thenThrows('CROSS_DEPARTMENT_INVALID');
  });

  it('a framework that does not list the department is not on file for it, exactly as an unknown one', () => {
    const notListing = spec
      .given([])
      .when(c.register({ crossDepartment: part, framework: { ...framework, participants: ['D-HEALTH'] } }))
      .thenThrows('FRAMEWORK_NOT_ON_FILE', 'RULE_VIOLATION');
    const unknown = spec
      .given([])
      .when(c.register({ crossDepartment: part, framework: null }))
      .thenThrows('FRAMEWORK_NOT_ON_FILE');
    expect(notListing.details).toEqual(unknown.details);
    expect(notListing.article).toBe('第七条');
    // Facts not looked up count as none.
    spec
      .given([])
      .when(c.register({ crossDepartment: part }))
      .thenThrows('FRAMEWORK_NOT_ON_FILE');
  });

  it('refuses a framework the office has not acknowledged', () => {
    spec
      .given([])
      .when(c.register({ crossDepartment: part, framework: { ...framework, acknowledged: false } }))
      .thenThrows('FRAMEWORK_NOT_ACKNOWLEDGED', 'RULE_VIOLATION');
  });

  it('refuses a part naming no framework, and another department than the caller’s', () => {
    spec
      .given([])
      .when(c.register({ crossDepartment: { frameworkId: '\u200b\u3000' }, framework }))
      .thenThrows('CROSS_DEPARTMENT_INVALID');
    spec
      .given([])
      .when(c.register({ crossDepartment: part, framework, departmentCode: 'D-HEALTH' }))
      .thenThrows('DEPARTMENT_MISMATCH');
  });
});

describe('第六条 fast track (直接编报可研)', () => {
  it('accepts 499,999,999 fen (4,999,999.99 yuan)', () => {
    spec
      .given([])
      .when(c.register({ estimateFen: 499_999_999, fastTrack: FAST }))
      .thenMatches([
        { type: 'ProjectRegistered', data: { fastTrack: FAST }, article: '第二条、第五条、第六条、第九条' },
      ]);
  });

  it('refuses 500,000,000 fen (5,000,000.00 yuan): strictly below', () => {
    const error = spec
      .given([])
      .when(c.register({ estimateFen: 500_000_000, fastTrack: FAST }))
      .thenThrows('FAST_TRACK_OVER_LIMIT');
    expect(error.article).toBe('第六条');
    expect(error.details).toMatchObject({ totalFen: 500_000_000, ceilingFen: 500_000_000 });
  });

  it('names the failing condition: not urgent, depth not met, no valid reason', () => {
    spec
      .given([])
      .when(c.register({ estimateFen: 1, fastTrack: { ...FAST, urgent: false } }))
      .thenThrows('FAST_TRACK_NOT_URGENT');
    spec
      .given([])
      .when(c.register({ estimateFen: 1, fastTrack: { ...FAST, depthMet: false } }))
      .thenThrows('FAST_TRACK_DEPTH_NOT_MET');
    spec
      .given([])
      .when(c.register({ estimateFen: 1, fastTrack: { ...FAST, reason: outside<FastTrackReason>('CONVENIENCE') } }))
      .thenThrows('FAST_TRACK_REASON_INVALID');
  });

  it('lets a fast-tracked project submit its feasibility study from DRAFT_PLAN', () => {
    spec
      .given(H.registered({ estimateFen: 499_999_999, fastTrack: FAST }))
      .when(c.submitFeasibility())
      .then([
        {
          type: 'FeasibilityStudySubmitted',
          data: { projectId: PID, documentRef: 'doc:fs', submittedOn: '2026-11-26', fastTrack: true },
        },
      ]);
  });

  it('accepts a fast track that carries the document of the city’s requirement (第六条(一))', () => {
    spec
      .given([])
      .when(c.register({ estimateFen: 1, fastTrack: FAST }))
      .thenMatches([{ type: 'ProjectRegistered', data: { fastTrack: { evidenceRef: 'doc:city-requirement' } } }]);
  });

  it('refuses a fast track without its evidence, or with an invisible one (第六条)', () => {
    const { evidenceRef: _omitted, ...withoutEvidence } = FAST;
    const error = spec
      .given([])
      .when(c.register({ estimateFen: 1, fastTrack: withoutEvidence }))
      .thenThrows('FAST_TRACK_EVIDENCE_REQUIRED', 'RULE_VIOLATION');
    expect(error.article).toBe('第六条');
    spec
      .given([])
      .when(c.register({ estimateFen: 1, fastTrack: { ...FAST, evidenceRef: ' \u200b\t' } }))
      .thenThrows('FAST_TRACK_EVIDENCE_REQUIRED');
  });

  it('approving the feasibility of a fast-tracked project records the office’s confirmation', () => {
    const submitted = play(
      [c.submitFeasibility(), c.reviewSharing()].map((x) => at(EARLY, x)),
      H.registered({ estimateFen: 1, fastTrack: FAST }),
    );
    const [approved] = spec
      .given(submitted)
      .when(c.approveFeasibility())
      .thenMatches([
        {
          type: 'FeasibilityApproved',
          data: { fastTrackConfirmed: true, fastTrackEvidenceRef: 'doc:city-requirement' },
          article: '第八条',
        },
      ]);
    expect(approved.data).toHaveProperty('approvedOn');
    const state = fold(projectDecider, play([at(EARLY, c.approveFeasibility())], submitted));
    expect(stateView(state)).toMatchObject({ skippedProposal: true, fastTrackConfirmed: true });
  });

  it('records no fast-track confirmation on the normal path', () => {
    const submitted = play(
      [c.submitProposal(), c.approveProposal(), c.submitFeasibility(), c.reviewSharing()].map((x) => at(EARLY, x)),
      H.registered(),
    );
    const [approved] = spec
      .given(submitted)
      .when(c.approveFeasibility())
      .thenMatches([{ type: 'FeasibilityApproved' }]);
    expect(approved.data).not.toHaveProperty('fastTrackConfirmed');
    expect(stateView(fold(projectDecider, [...submitted, approved]))).toMatchObject({ fastTrackConfirmed: false });
  });

  it('keeps a fast track stored before the evidence was required: it goes on and is confirmed without one', () => {
    const { evidenceRef: _omitted, ...old } = FAST;
    // A ProjectRegistered written before 第六条's evidence was asked for (stored history).
    const stored: ProjectEvent[] = [
      {
        type: 'ProjectRegistered',
        data: {
          projectId: PID,
          ...registration({ estimateFen: 1 }),
          crossDepartment: null,
          fastTrack: old,
          registeredOn: '2026-01-05',
        },
      },
    ];
    const submitted = play(
      [c.submitFeasibility(), c.reviewSharing()].map((x) => at(EARLY, x)),
      stored,
    );
    const [approved] = spec
      .given(submitted)
      .when(c.approveFeasibility())
      .thenMatches([{ type: 'FeasibilityApproved', data: { fastTrackConfirmed: true } }]);
    expect(approved.data).not.toHaveProperty('fastTrackEvidenceRef');
  });

  it('refuses to skip the proposal without a fast track', () => {
    spec.given(H.registered()).when(c.submitFeasibility()).thenThrows('PROPOSAL_REQUIRED', 'RULE_VIOLATION');
  });

  it('keeps a fast-tracked design under the ceiling', () => {
    const base = play(
      [c.submitFeasibility(), c.reviewSharing(), c.approveFeasibility()].map((x) => at(EARLY, x)),
      H.registered({ estimateFen: 400_000_000, fastTrack: FAST }),
    );
    spec.given(base).when(c.submitDesign(500_000_000)).thenThrows('FAST_TRACK_OVER_LIMIT');
    spec
      .given(base)
      .when(c.submitDesign(499_999_999))
      .thenMatches([{ type: 'PreliminaryDesignSubmitted' }]);
  });
});

describe('第五条 the plan year is this year or next (提出下一年度项目计划)', () => {
  it('registers a plan for this year or next, Ordos time', () => {
    for (const planYear of [2026, 2027]) {
      spec
        .given([])
        .when(c.register({ planYear }))
        .thenMatches([{ type: 'ProjectRegistered', data: { planYear } }]);
    }
    // 00:30 on 1 January in Ordos is still 31 December in UTC: the Ordos year counts
    spec
      .given([])
      .when(at('2026-12-31T16:30:00Z', c.register({ planYear: 2028 })))
      .thenMatches([{ type: 'ProjectRegistered', data: { planYear: 2028, registeredOn: '2027-01-01' } }]);
  });

  it('PLAN_YEAR_OUT_OF_RANGE for a past year, one further ahead, or no year', () => {
    const error = spec
      .given([])
      .when(c.register({ planYear: 2025 }))
      .thenThrows('PLAN_YEAR_OUT_OF_RANGE');
    expect(error.article).toBe('第五条');
    expect(error.details).toEqual({ planYear: 2025, allowed: [2026, 2027] });
    spec
      .given([])
      .when(c.register({ planYear: 2028 }))
      .thenThrows('PLAN_YEAR_OUT_OF_RANGE', 'RULE_VIOLATION');
    spec
      .given([])
      .when(c.register({ planYear: 2026.5 }))
      .thenThrows('PLAN_YEAR_OUT_OF_RANGE');
    spec
      .given([])
      .when(at('2026-12-31T16:30:00Z', c.register({ planYear: 2026 })))
      .thenThrows('PLAN_YEAR_OUT_OF_RANGE');
  });
});
