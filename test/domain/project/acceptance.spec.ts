import { AcceptanceKeyContent, ComplianceFacts, fold, projectDecider } from '../../../src/domain';
import { DeciderSpecification } from '../decider-specification';
import { EARLY, H, KEY_CONTENT, MATERIALS, PID, actingAs, actors, at, c, command, outside, play } from '../fixtures';

const spec = DeciderSpecification(projectDecider);
const TODAY = '2026-11-26';
const completed = H.completed();
const planned = play([c.agreePlan()], completed);
const ready = play([c.archive(true)], planned);
const SAFE: ComplianceFacts = {
  sharesData: true,
  duplicateCollection: false,
  inCatalogue: true,
  cryptoAssessmentPassed: true,
  securityAssessmentPassed: true,
  majorSecurityHazard: false,
};
const compliance = (facts: Partial<ComplianceFacts>) => command('RecordCompliance', { ...SAFE, ...facts });
const withKey = (keyContent: Partial<AcceptanceKeyContent>) => c.accept(MATERIALS, true, keyContent);

describe('第二十一条 acceptance plan, 第二十二条 archive acceptance', () => {
  it('agrees a plan with an expert panel', () => {
    spec
      .given(completed)
      .when(c.agreePlan())
      .then([
        {
          type: 'AcceptancePlanAgreed',
          data: { projectId: PID, method: '会议验收', experts: ['专家甲'], materials: ['全部'], agreedOn: TODAY },
        },
      ]);
    spec
      .given(completed)
      .when(command('AgreeAcceptancePlan', { method: 'm', experts: [], materials: [] }))
      .thenThrows('EXPERT_PANEL_REQUIRED');
  });
  it('records an archive acceptance', () => {
    spec
      .given(planned)
      .when(c.archive(false))
      .then([
        {
          type: 'ArchiveAcceptanceRecorded',
          data: { projectId: PID, passed: false, opinion: '档案', recordedOn: TODAY },
        },
      ]);
  });
  it('refuses acceptance steps before completion', () => {
    spec.given(H.underConstruction()).when(c.agreePlan()).thenThrows('INVALID_STATE');
    spec.given(H.underConstruction()).when(c.accept()).thenThrows('INVALID_STATE');
  });
});

describe('第二十一条 recording acceptance', () => {
  it('passes with every material, a passed archive acceptance and its key content, on time', () => {
    spec
      .given(ready)
      .when(c.accept())
      .then([
        {
          type: 'AcceptancePassed',
          data: {
            projectId: PID,
            opinion: '验收',
            materials: MATERIALS,
            keyContent: KEY_CONTENT,
            acceptedOn: TODAY,
            acceptanceDueOn: '2027-02-28',
            onTime: true,
            missedDueOn: null,
          },
        },
      ]);
  });
  it('is late after the due date', () => {
    spec
      .given(ready)
      .when(at('2027-03-01T08:00:00+08:00', c.accept()))
      .thenMatches([{ type: 'AcceptancePassed', data: { onTime: false, missedDueOn: '2027-02-28' } }]);
    spec
      .given(ready)
      .when(at('2027-02-28T23:00:00+08:00', c.accept()))
      .thenMatches([{ type: 'AcceptancePassed', data: { onTime: true, missedDueOn: null } }]);
  });
  it('the construction unit organizes and records it (第二十一条), for its own department only', () => {
    spec.given(ready).when(actingAs(actors.office, c.accept())).thenThrows('ROLE_NOT_ALLOWED', 'FORBIDDEN');
    spec.given(ready).when(actingAs(actors.otherCu, c.accept())).thenThrows('OTHER_DEPARTMENT', 'FORBIDDEN');
    spec
      .given(ready)
      .when(actingAs(actors.otherCu, c.accept(MATERIALS, false)))
      .thenThrows('OTHER_DEPARTMENT');
  });
  it('MATERIALS_INCOMPLETE lists each missing material', () => {
    const { cryptoAssessmentReport: _c, securityAssessmentReport: _s, ...partial } = MATERIALS;
    const error = spec
      .given(ready)
      .when(c.accept({ ...partial, financialReport: '' }))
      .thenThrows('MATERIALS_INCOMPLETE');
    expect(error.details).toEqual({
      missing: ['financialReport', 'securityAssessmentReport', 'cryptoAssessmentReport'],
    });
    expect(error.article).toBe('第二十一条');
  });
  it('ARCHIVE_ACCEPTANCE_REQUIRED without a passed archive acceptance (第二十二条)', () => {
    spec.given(planned).when(c.accept()).thenThrows('ARCHIVE_ACCEPTANCE_REQUIRED');
    const error = spec
      .given(play([c.archive(false)], planned))
      .when(c.accept())
      .thenThrows('ARCHIVE_ACCEPTANCE_REQUIRED');
    expect(error.article).toBe('第二十二条');
  });
  it('ACCEPTANCE_PLAN_REQUIRED before the plan is agreed', () => {
    spec.given(completed).when(c.accept()).thenThrows('ACCEPTANCE_PLAN_REQUIRED');
  });
  it('records a failure with the missing items; funds are blocked; a new acceptance may follow', () => {
    spec
      .given(planned)
      .when(c.accept({ acceptanceReport: 'doc' }, false))
      .then([
        {
          type: 'AcceptanceFailed',
          data: {
            projectId: PID,
            opinion: '验收',
            materials: { acceptanceReport: 'doc' },
            missingMaterials: [
              'constructionSummary',
              'biddingAndContracts',
              'processDocuments',
              'financialReport',
              'securityAssessmentReport',
              'cryptoAssessmentReport',
            ],
            keyContent: KEY_CONTENT,
            archiveAcceptancePassed: false,
            fundsBlocked: true,
            failedOn: TODAY,
          },
        },
      ]);
    const failed = play([c.accept(MATERIALS, false)], ready);
    spec
      .given(failed)
      .when(c.accept())
      .thenMatches([{ type: 'AcceptancePassed' }]);
  });
  it('refuses a second acceptance after passing', () => {
    spec.given(H.accepted()).when(c.accept()).thenThrows('INVALID_STATE');
  });
});

describe('第十三条 key content of acceptance', () => {
  /** A project of `category`, built and ready for acceptance (plan agreed, archive passed). */
  const readyAs = (category: 'INFRASTRUCTURE' | 'SOFTWARE') =>
    play(
      [
        ...[c.assign(), c.engage()].map((x) => at(EARLY, x)),
        at('2026-01-10T10:00:00+08:00', c.start()),
        ...[c.complete(), c.agreePlan(), c.archive()].map((x) => at('2026-09-01T10:00:00+08:00', x)),
      ],
      H.approved(300_000_000, { category }),
    );

  it('KEY_CONTENT_INCOMPLETE lists each item missing; passed: false records what was found', () => {
    const error = spec
      .given(ready)
      .when(c.accept(MATERIALS, true, {}))
      .thenThrows('KEY_CONTENT_INCOMPLETE');
    expect(error.article).toBe('第十三条');
    expect(error.details).toEqual({
      missing: ['productSecurityReliability', 'cryptoAssessmentPassed', 'securityReviewPassed'],
      category: 'SOFTWARE',
    });
    spec
      .given(ready)
      .when(withKey({ ...KEY_CONTENT, productSecurityReliability: ' ' }))
      .thenThrows('KEY_CONTENT_INCOMPLETE');
    spec
      .given(ready)
      .when(withKey({ ...KEY_CONTENT, securityReviewPassed: outside<boolean>('yes') }))
      .thenThrows('KEY_CONTENT_INCOMPLETE');
    spec
      .given(ready)
      .when(c.accept(MATERIALS, false, {}))
      .thenMatches([{ type: 'AcceptanceFailed', data: { keyContent: {} } }]);
  });
  it('energy efficiency is key content of INFRASTRUCTURE (hardware, new data centres) only', () => {
    const { energyEfficiency: _e, ...withoutEnergy } = KEY_CONTENT;
    const error = spec
      .given(readyAs('INFRASTRUCTURE'))
      .when(withKey(withoutEnergy))
      .thenThrows('KEY_CONTENT_INCOMPLETE');
    expect(error.details).toEqual({ missing: ['energyEfficiency'], category: 'INFRASTRUCTURE' });
    spec
      .given(readyAs('INFRASTRUCTURE'))
      .when(withKey(KEY_CONTENT))
      .thenMatches([{ type: 'AcceptancePassed', data: { keyContent: KEY_CONTENT } }]);
    spec
      .given(readyAs('SOFTWARE'))
      .when(withKey(withoutEnergy))
      .thenMatches([{ type: 'AcceptancePassed', data: { keyContent: withoutEnergy } }]);
  });
  it('KEY_CONTENT_NOT_PASSED when the crypto assessment or the security review did not pass', () => {
    const crypto = spec
      .given(ready)
      .when(withKey({ ...KEY_CONTENT, cryptoAssessmentPassed: false }))
      .thenThrows('KEY_CONTENT_NOT_PASSED', 'RULE_VIOLATION');
    expect(crypto.article).toBe('第十三条');
    expect(crypto.details).toEqual({ failed: ['cryptoAssessmentPassed'] });
    const both = spec
      .given(ready)
      .when(withKey({ ...KEY_CONTENT, cryptoAssessmentPassed: false, securityReviewPassed: false }))
      .thenThrows('KEY_CONTENT_NOT_PASSED');
    expect(both.details).toEqual({ failed: ['cryptoAssessmentPassed', 'securityReviewPassed'] });
    // the unit fails the acceptance instead: funds stay blocked (第二十一条)
    spec
      .given(ready)
      .when(c.accept(MATERIALS, false, { ...KEY_CONTENT, securityReviewPassed: false }))
      .thenMatches([
        { type: 'AcceptanceFailed', data: { keyContent: { securityReviewPassed: false }, fundsBlocked: true } },
      ]);
  });
  it('MAJOR_SECURITY_HAZARD_OPEN while the latest compliance record finds a major hazard', () => {
    const hazard = play([compliance({ majorSecurityHazard: true })], ready);
    const error = spec.given(hazard).when(c.accept()).thenThrows('MAJOR_SECURITY_HAZARD_OPEN', 'RULE_VIOLATION');
    expect(error.article).toBe('第十三条');
    // a rectification answered and verified does not clear the finding: a newer record does
    const rectified = play(
      [
        c.order('r-1', '2026-12-31'),
        command('SubmitRectification', { rectificationId: 'r-1', report: '已消除隐患' }),
        command('VerifyRectification', { rectificationId: 'r-1', passed: true, opinion: '整改到位' }),
      ],
      hazard,
    );
    spec.given(rectified).when(c.accept()).thenThrows('MAJOR_SECURITY_HAZARD_OPEN');
    const cleared = play([compliance({ majorSecurityHazard: false })], rectified);
    spec
      .given(cleared)
      .when(c.accept())
      .thenMatches([{ type: 'AcceptancePassed' }]);
    // other compliance findings are 第二十四条's (O&M funding), not a bar to acceptance
    spec
      .given(play([compliance({ sharesData: false, inCatalogue: false })], ready))
      .when(c.accept())
      .thenMatches([{ type: 'AcceptancePassed' }]);
    // a failure may still be recorded while the hazard is open
    spec
      .given(hazard)
      .when(c.accept(MATERIALS, false))
      .thenMatches([{ type: 'AcceptanceFailed' }]);
  });
});

describe('第二十一条 extension (延期验收)', () => {
  const request = (until: string) => command('RequestAcceptanceExtension', { until, reason: '等保测评未完成' });
  const grant = () => command('GrantAcceptanceExtension', { opinion: '同意延期' });

  it('requests a date after the current due date', () => {
    spec
      .given(completed)
      .when(request('2027-03-01'))
      .then([
        {
          type: 'AcceptanceExtensionRequested',
          data: {
            projectId: PID,
            until: '2027-03-01',
            reason: '等保测评未完成',
            currentDueOn: '2027-02-28',
            requestedOn: TODAY,
          },
        },
      ]);
    spec.given(completed).when(request('2027-02-28')).thenThrows('EXTENSION_NOT_LATER');
  });
  it('grants the requested date as the new due date', () => {
    spec
      .given(play([request('2027-05-31')], completed))
      .when(grant())
      .then([
        {
          type: 'AcceptanceExtensionGranted',
          data: {
            projectId: PID,
            opinion: '同意延期',
            until: '2027-05-31',
            previousDueOn: '2027-02-28',
            acceptanceDueOn: '2027-05-31',
            grantedOn: TODAY,
          },
        },
      ]);
    spec.given(completed).when(grant()).thenThrows('EXTENSION_NOT_REQUESTED');
  });
  it('EXTENSION_TOO_LATE once the due date has passed; on the due date itself it is in time', () => {
    const late = spec
      .given(completed)
      .when(at('2027-03-01T08:00:00+08:00', request('2027-05-31')))
      .thenThrows('EXTENSION_TOO_LATE', 'RULE_VIOLATION');
    expect(late.article).toBe('第二十一条');
    expect(late.details).toEqual({ currentDueOn: '2027-02-28', today: '2027-03-01' });
    spec
      .given(play([at('2027-03-01T08:00:00+08:00', command('MarkAcceptanceOverdue', {}))], completed))
      .when(at('2027-03-02T08:00:00+08:00', request('2027-05-31')))
      .thenThrows('EXTENSION_TOO_LATE');
    spec
      .given(completed)
      .when(at('2027-02-28T23:00:00+08:00', request('2027-05-31')))
      .thenMatches([{ type: 'AcceptanceExtensionRequested', data: { currentDueOn: '2027-02-28' } }]);
  });
  it('an acceptance within a timely granted extension is on time', () => {
    const extended = play([request('2027-05-31'), grant(), c.agreePlan(), c.archive()], completed);
    spec
      .given(extended)
      .when(at('2027-04-01T10:00:00+08:00', c.accept()))
      .thenMatches([
        {
          type: 'AcceptancePassed',
          data: { acceptanceDueOn: '2027-05-31', onTime: true, missedDueOn: null },
        },
      ]);
  });
  it('a late acceptance keeps onTime: false when the extension is granted after the missed due date', () => {
    const grantedLate = play(
      [
        at('2027-02-20T10:00:00+08:00', request('2027-05-31')),
        at('2027-03-01T00:00:00+08:00', command('MarkAcceptanceOverdue', {})),
        at('2027-03-05T10:00:00+08:00', grant()),
        ...[c.agreePlan(), c.archive()].map((x) => at('2027-03-05T11:00:00+08:00', x)),
      ],
      completed,
    );
    const state = fold(projectDecider, grantedLate);
    expect(state.status !== null && state.acceptance).toMatchObject({
      dueOn: '2027-05-31',
      overdueMarkedFor: '2027-02-28',
      missedDueOn: '2027-02-28',
    });
    spec
      .given(grantedLate)
      .when(at('2027-04-01T10:00:00+08:00', c.accept()))
      .thenMatches([
        {
          type: 'AcceptancePassed',
          data: { acceptanceDueOn: '2027-05-31', onTime: false, missedDueOn: '2027-02-28' },
        },
      ]);
    // the watcher never ran: the grant's own dates show the miss
    const unmarked = grantedLate.filter((e) => e.type !== 'AcceptanceOverdue');
    spec
      .given(unmarked)
      .when(at('2027-04-01T10:00:00+08:00', c.accept()))
      .thenMatches([{ type: 'AcceptancePassed', data: { onTime: false, missedDueOn: '2027-02-28' } }]);
  });
});

describe('第二十三条 asset registration', () => {
  const register = (costFen = 299_000_000) => command('RegisterAsset', { assetClass: 'INTANGIBLE', costFen });
  it('registers after acceptance', () => {
    spec
      .given(H.accepted())
      .when(register())
      .then([
        {
          type: 'AssetRegistered',
          data: {
            projectId: PID,
            assetClass: 'INTANGIBLE',
            costFen: 299_000_000,
            actualCostFen: 300_000_000,
            registeredOn: TODAY,
          },
        },
      ]);
  });
  it('ASSET_COST_EXCEEDS_ACTUAL above the approved total after adjustments, less the surplus', () => {
    // 300 万 approved, adjusted down to 290 万 (第二十条), 5 万 surplus declared at completion (第十九条)
    const accepted = play(
      [
        at(EARLY, c.adjust(10_000_000, 290_000_000)),
        at('2026-09-01T10:00:00+08:00', c.complete('2026-08-31', 5_000_000)),
        ...[c.agreePlan(), c.archive(), c.accept()].map((x) => at('2026-10-01T10:00:00+08:00', x)),
      ],
      H.underConstruction(),
    );
    spec
      .given(accepted)
      .when(register(285_000_000))
      .thenMatches([{ type: 'AssetRegistered', data: { costFen: 285_000_000, actualCostFen: 285_000_000 } }]);
    const error = spec
      .given(accepted)
      .when(register(285_000_001))
      .thenThrows('ASSET_COST_EXCEEDS_ACTUAL', 'RULE_VIOLATION');
    expect(error.article).toBe('第二十三条');
    expect(error.details).toEqual({
      costFen: 285_000_001,
      actualCostFen: 285_000_000,
      totalFen: 290_000_000,
      surplusFen: 5_000_000,
    });
    // the surplus counts whether or not finance has recorded it returned yet
    const returned = play([command('ReturnSurplusFunds', { amountFen: 5_000_000 })], accepted);
    spec.given(returned).when(register(285_000_001)).thenThrows('ASSET_COST_EXCEEDS_ACTUAL');
  });
  it('ASSET_BEFORE_ACCEPTANCE before it', () => {
    spec.given(completed).when(register()).thenThrows('ASSET_BEFORE_ACCEPTANCE', 'RULE_VIOLATION');
    spec
      .given(play([c.accept(MATERIALS, false)], ready))
      .when(register())
      .thenThrows('ASSET_BEFORE_ACCEPTANCE');
  });
  it('only once', () => {
    spec
      .given(play([register()], H.accepted()))
      .when(register())
      .thenThrows('INVALID_STATE');
  });
});

describe('第二十一条 experts and materials of nothing visible are none', () => {
  it('EXPERT_PANEL_REQUIRED when an expert is blank', () => {
    spec
      .given(completed)
      .when(command('AgreeAcceptancePlan', { method: 'm', experts: ['专家甲', '\u200b'], materials: [] }))
      .thenThrows('EXPERT_PANEL_REQUIRED');
    spec
      .given(completed)
      .when(command('AgreeAcceptancePlan', { method: 'm', experts: ['专家甲'], materials: [] }))
      .thenMatches([{ type: 'AcceptancePlanAgreed' }]);
  });
  it('MATERIALS_INCOMPLETE names a material that is only invisible characters', () => {
    const error = spec
      .given(ready)
      .when(c.accept({ ...MATERIALS, financialReport: '\ufeff\u200b' }))
      .thenThrows('MATERIALS_INCOMPLETE');
    expect(error.details).toEqual({ missing: ['financialReport'] });
  });
});
