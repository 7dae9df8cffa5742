import {
  ComplianceFacts,
  ProjectEvent,
  banReasonsOf,
  omEligibility,
  projectDecider,
  stateView,
} from '../../../src/domain';
import { DeciderSpecification, stateOf } from '../decider-specification';
import { EARLY, H, PID, actingAs, actors, at, c, command, play } from '../fixtures';

const spec = DeciderSpecification(projectDecider);
const GOOD: ComplianceFacts = {
  sharesData: true,
  duplicateCollection: false,
  inCatalogue: true,
  cryptoAssessmentPassed: true,
  securityAssessmentPassed: true,
  majorSecurityHazard: false,
};
const record = (facts: Partial<ComplianceFacts> = {}) => command('RecordCompliance', { ...GOOD, ...facts });
const exempt = () => command('GrantSharingExemption', { reason: '涉密，不能共享' });
const codes = (events: ReturnType<typeof play>) =>
  omEligibility(stateOf(projectDecider, events)).reasons.map((r) => r.code);

describe('第二十四条 compliance facts and O&M funding eligibility', () => {
  it('records the facts with the derived eligibility', () => {
    spec
      .given(H.accepted())
      .when(actingAs(actors.supervisor, record()))
      .then([
        {
          type: 'ComplianceRecorded',
          data: {
            projectId: PID,
            ...GOOD,
            recordedOn: '2026-11-26',
            recordedBy: { sub: 'u-sup', name: '网信办', role: 'SUPERVISOR' },
            omEligible: true,
            omReasonCodes: [],
          },
        },
      ]);
  });
  it('is not eligible before any facts are recorded', () => {
    expect(omEligibility(stateOf(projectDecider, H.accepted()))).toMatchObject({
      eligible: false,
      reasons: [{ code: 'COMPLIANCE_NOT_RECORDED', article: '第二十四条' }],
    });
  });
  it.each([
    [{ sharesData: false }, 'NOT_SHARING'],
    [{ duplicateCollection: true }, 'DUPLICATE_COLLECTION'],
    [{ inCatalogue: false }, 'NOT_IN_CATALOGUE'],
    [{ cryptoAssessmentPassed: false }, 'CRYPTO_NOT_COMPLIANT'],
    [{ securityAssessmentPassed: false }, 'SECURITY_NOT_COMPLIANT'],
    [{ majorSecurityHazard: true }, 'MAJOR_SECURITY_HAZARD'],
  ] as const)('%p makes it ineligible with %s', (facts, code) => {
    expect(codes(play([record(facts)], H.accepted()))).toEqual([code]);
  });
  it('lists every reason at once', () => {
    const all = play([record({ sharesData: false, inCatalogue: false, majorSecurityHazard: true })], H.accepted());
    expect(codes(all)).toEqual(['NOT_SHARING', 'NOT_IN_CATALOGUE', 'MAJOR_SECURITY_HAZARD']);
  });
  it('the government exemption lifts only the sharing reason', () => {
    const history = play([record({ sharesData: false, duplicateCollection: true }), exempt()], H.accepted());
    expect(codes(history)).toEqual(['DUPLICATE_COLLECTION']);
    const onlySharing = play([exempt(), record({ sharesData: false })], H.accepted());
    expect(omEligibility(stateOf(projectDecider, onlySharing)).eligible).toBe(true);
  });
  it('grants the exemption once, by the government only', () => {
    spec
      .given(H.registered())
      .when(exempt())
      .then([
        {
          type: 'SharingExemptionGranted',
          data: {
            projectId: PID,
            reason: '涉密，不能共享',
            grantedOn: '2026-11-26',
            grantedBy: { sub: 'u-gov', name: '市人民政府', role: 'GOVERNMENT' },
          },
        },
      ]);
    spec
      .given(play([exempt()], H.registered()))
      .when(exempt())
      .thenThrows('EXEMPTION_ALREADY_GRANTED', 'CONFLICT');
    spec.given(H.registered()).when(actingAs(actors.office, exempt())).thenThrows('ROLE_NOT_ALLOWED');
  });
  it('construction units cannot record their own compliance', () => {
    spec.given(H.registered()).when(actingAs(actors.cu, record())).thenThrows('ROLE_NOT_ALLOWED', 'FORBIDDEN');
  });
});

describe('第二十四条 the sharing review (信息资源共享审核) during approval', () => {
  const toStudy = (over: Parameters<typeof H.registered>[0] = {}) =>
    play(
      [c.submitProposal(), c.approveProposal(), c.submitFeasibility()].map((x) => at(EARLY, x)),
      H.registered(over),
    );
  const toDesign = (shareable: boolean, exemption = false) =>
    play(
      [
        c.reviewSharing(shareable),
        c.approveFeasibility(),
        ...(exemption ? [actingAs(actors.government, exempt())] : []),
        c.submitDesign(),
        c.reviewDesign(),
      ].map((x) => at(EARLY, x)),
      toStudy(),
    );

  it('records the office’s review with its date', () => {
    spec
      .given(toStudy())
      .when(c.reviewSharing(false))
      .then([
        {
          type: 'SharingReviewed',
          data: { projectId: PID, shareable: false, opinion: '共享审核', reviewedOn: '2026-11-26' },
        },
      ]);
    expect(stateView(stateOf(projectDecider, play([c.reviewSharing()], toStudy())))).toMatchObject({
      sharingReview: { shareable: true, opinion: '共享审核' },
    });
  });
  it('is the office’s, and only before the design is approved', () => {
    spec.given(toStudy()).when(actingAs(actors.cu, c.reviewSharing())).thenThrows('ROLE_NOT_ALLOWED', 'FORBIDDEN');
    spec.given(H.approved()).when(c.reviewSharing()).thenThrows('INVALID_STATE');
  });
  it('a NEW or UPGRADE study is approved only after the review', () => {
    for (const nature of ['NEW', 'UPGRADE'] as const) {
      const error = spec
        .given(toStudy({ nature }))
        .when(c.approveFeasibility())
        .thenThrows('SHARING_REVIEW_REQUIRED', 'RULE_VIOLATION');
      expect(error.article).toBe('第二十四条');
      spec
        .given(play([c.reviewSharing()], toStudy({ nature })))
        .when(c.approveFeasibility())
        .thenMatches([{ type: 'FeasibilityApproved' }]);
    }
  });
  it('a CONTINUATION needs no review', () => {
    spec
      .given(toStudy({ nature: 'CONTINUATION' }))
      .when(c.approveFeasibility())
      .thenMatches([{ type: 'FeasibilityApproved' }]);
  });
  it('a project that will not share has its design approved only with the government’s exemption', () => {
    const error = spec
      .given(toDesign(false))
      .when(c.approveDesign())
      .thenThrows('SHARING_EXEMPTION_REQUIRED', 'RULE_VIOLATION');
    expect(error.article).toBe('第二十四条');
    spec
      .given(toDesign(false, true))
      .when(c.approveDesign())
      .thenMatches([{ type: 'PreliminaryDesignApproved' }]);
    spec
      .given(toDesign(true))
      .when(c.approveDesign())
      .thenMatches([{ type: 'PreliminaryDesignApproved' }]);
  });
  it('does not judge again a project whose study was approved before the rule', () => {
    // FeasibilityApproved stored before the review existed: no SharingReviewed in the history.
    const approved: ProjectEvent = {
      type: 'FeasibilityApproved',
      data: { projectId: PID, opinion: '同意', approvedOn: '2026-01-05' },
    };
    const design = play(
      [c.submitDesign(), c.reviewDesign()].map((x) => at(EARLY, x)),
      [...toStudy(), approved],
    );
    spec
      .given(design)
      .when(c.approveDesign())
      .thenMatches([{ type: 'PreliminaryDesignApproved' }]);
  });
});

describe('第二十四条 the construction ban (不得新建、改建、扩建)', () => {
  const hazard = {
    kind: 'EXISTING_SYSTEM' as const,
    id: 'sys-1',
    name: '教育资源平台',
    reasons: ['MAJOR_SECURITY_HAZARD'],
  };
  const notSharing = { kind: 'PROJECT' as const, id: 'p-old', name: '智慧校园', reasons: ['NOT_SHARING'] };

  it('names the findings that ban: (一) sharing, re-collection; (三) crypto, security, hazard; not (二)', () => {
    const banOf = (facts: Partial<ComplianceFacts>, exempted = false) =>
      banReasonsOf({
        facts: { ...GOOD, ...facts },
        sharingExemption: exempted ? { reason: '涉密', grantedOn: '2026-01-05' } : null,
        sharingReview: null,
      });
    expect(banOf({})).toEqual([]);
    expect(banOf({ inCatalogue: false })).toEqual([]);
    expect(banReasonsOf({ facts: null, sharingExemption: null, sharingReview: null })).toEqual([]);
    expect(banOf({ sharesData: false })).toEqual(['NOT_SHARING']);
    expect(banOf({ sharesData: false }, true)).toEqual([]);
    expect(banOf({ duplicateCollection: true }, true)).toEqual(['DUPLICATE_COLLECTION']);
    expect(
      banOf({ cryptoAssessmentPassed: false, securityAssessmentPassed: false, majorSecurityHazard: true }),
    ).toEqual(['CRYPTO_NOT_COMPLIANT', 'SECURITY_NOT_COMPLIANT', 'MAJOR_SECURITY_HAZARD']);
  });

  it('refuses a NEW or UPGRADE registration naming each system, and allows one without findings', () => {
    for (const nature of ['NEW', 'UPGRADE'] as const) {
      const error = spec
        .given([])
        .when(c.register({ nature, underBan: [hazard, notSharing] }))
        .thenThrows('CONSTRUCTION_BANNED', 'RULE_VIOLATION');
      expect(error.article).toBe('第二十四条');
      expect(error.details).toEqual({ departmentCode: 'D-EDU', systems: [hazard, notSharing] });
    }
    spec
      .given([])
      .when(c.register({ nature: 'NEW', underBan: [] }))
      .thenMatches([{ type: 'ProjectRegistered' }]);
  });

  it('a continuation (续建) builds nothing new: registered under the ban', () => {
    spec
      .given([])
      .when(c.register({ nature: 'CONTINUATION', underBan: [hazard] }))
      .thenMatches([{ type: 'ProjectRegistered' }]);
  });

  it('refuses to start construction under the ban, starts without it', () => {
    spec
      .given(H.ready())
      .when(
        at('2026-01-10T10:00:00+08:00', command('StartConstruction', { startedOn: '2026-01-10', underBan: [hazard] })),
      )
      .thenThrows('CONSTRUCTION_BANNED');
    spec
      .given(H.ready())
      .when(at('2026-01-10T10:00:00+08:00', command('StartConstruction', { startedOn: '2026-01-10', underBan: [] })))
      .thenMatches([{ type: 'ConstructionStarted' }]);
  });

  it('refuses an adjustment under the ban, files it without', () => {
    spec
      .given(H.underConstruction())
      .when(c.adjust(10_000_000, 300_000_000, { underBan: [notSharing] }))
      .thenThrows('CONSTRUCTION_BANNED');
    spec
      .given(H.underConstruction())
      .when(c.adjust(10_000_000, 300_000_000, { underBan: [] }))
      .thenMatches([{ type: 'AdjustmentFiled' }]);
  });
});
