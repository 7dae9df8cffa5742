import { projectDecider } from '../../../src/domain';
import { DeciderSpecification } from '../decider-specification';
import { H, MATERIALS, PID, at, c, command, play } from '../fixtures';

const spec = DeciderSpecification(projectDecider);
const TODAY = '2026-11-26';
const completed = H.completed();
const planned = play([c.agreePlan()], completed);
const ready = play([c.archive(true)], planned);

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
  it('passes with every material and a passed archive acceptance, on time', () => {
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
            acceptedOn: TODAY,
            acceptanceDueOn: '2027-02-28',
            onTime: true,
          },
        },
      ]);
  });
  it('is late after the due date', () => {
    spec
      .given(ready)
      .when(at('2027-03-01T08:00:00+08:00', c.accept()))
      .thenMatches([{ type: 'AcceptancePassed', data: { onTime: false } }]);
    spec
      .given(ready)
      .when(at('2027-02-28T23:00:00+08:00', c.accept()))
      .thenMatches([{ type: 'AcceptancePassed', data: { onTime: true } }]);
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
});

describe('第二十三条 asset registration', () => {
  const register = () => command('RegisterAsset', { assetClass: 'INTANGIBLE', costFen: 299_000_000 });
  it('registers after acceptance', () => {
    spec
      .given(H.accepted())
      .when(register())
      .then([
        {
          type: 'AssetRegistered',
          data: { projectId: PID, assetClass: 'INTANGIBLE', costFen: 299_000_000, registeredOn: TODAY },
        },
      ]);
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
