import { randomUUID } from 'node:crypto';
import { registration, startHarness, type Harness } from '../support/harness';
import { ALL_MATERIALS, KEY_CONTENT, expectProblem, today } from '../support/fixtures';

describe('a full lifecycle from 立项 to asset registration over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('register → … → register asset ends in ASSET_REGISTERED, every step visible through ?minRevision', async () => {
    const unit = h.token('CONSTRUCTION_UNIT', 'LC01');
    const office = h.token('OFFICE');
    const finance = h.token('FINANCE');
    const body = registration('LC01', { name: '鄂尔多斯市公共数据共享交换平台', estimateFen: 450_000_000 });
    const id = body.projectId;
    const created = await h.request('POST', '/projects', { token: unit, body });
    expect(created.status).toBe(201);
    let revision = created.body.revision;
    expect(revision).toBe(0);

    const year = Number(today(h).slice(0, 4));
    const steps: Array<[string, string, object, string, Record<string, unknown>]> = [
      [unit, 'submit-proposal', { documentRef: 'JY-1' }, 'ProposalSubmitted', { status: 'PROPOSAL' }],
      [office, 'approve-proposal', { opinion: '同意' }, 'ProposalApproved', { status: 'PROPOSAL' }],
      [unit, 'submit-feasibility', { documentRef: 'KY-1' }, 'FeasibilityStudySubmitted', { status: 'FEASIBILITY' }],
      [
        office,
        'review-sharing',
        { shareable: true, opinion: '按目录共享' },
        'SharingReviewed',
        { status: 'FEASIBILITY' },
      ],
      [office, 'approve-feasibility', { opinion: '可研批复' }, 'FeasibilityApproved', { status: 'FEASIBILITY' }],
      [
        unit,
        'submit-preliminary-design',
        {
          documentRef: 'CS-1',
          estimateFen: 420_000_000,
          productSecurityStatement: '国产密码',
          cryptoApplicationPlan: 'MM-1',
        },
        'PreliminaryDesignSubmitted',
        { status: 'PRELIMINARY_DESIGN' },
      ],
      [
        office,
        'review-preliminary-design',
        { passed: true, verifiedEstimateFen: 400_000_000, opinion: '核价' },
        'PreliminaryDesignReviewed',
        { status: 'PRELIMINARY_DESIGN' },
      ],
      [
        office,
        'approve-preliminary-design',
        { opinion: '批复', approvedEstimateFen: 400_000_000 },
        'PreliminaryDesignApproved',
        { status: 'APPROVED', approvedEstimateFen: 400_000_000, supervisionRequired: true },
      ],
      [
        unit,
        'assign-responsibility',
        { implementingBody: '市大数据中心', responsiblePerson: '王五' },
        'ResponsibilityAssigned',
        { responsiblePerson: '王五' },
      ],
      [
        unit,
        'engage-supervision',
        { supervisionUnit: '某监理', contractRef: 'JL-1' },
        'SupervisionUnitEngaged',
        { supervisionUnit: '某监理' },
      ],
      [unit, 'start-construction', { startedOn: today(h) }, 'ConstructionStarted', { status: 'UNDER_CONSTRUCTION' }],
      [
        unit,
        'submit-performance-report',
        {
          year,
          progressPercent: 60,
          investmentExecutedFen: 200_000_000,
          userOpinions: '好用',
          supervisionOpinion: '合格',
        },
        'PerformanceReportSubmitted',
        { status: 'UNDER_CONSTRUCTION' },
      ],
      [
        unit,
        'file-adjustment',
        {
          reason: 'CITY_APPROVED',
          amountFen: 40_000_000,
          newTotalFen: 390_000_000,
          objectivesUnchanged: true,
          description: '调整',
        },
        'AdjustmentFiled',
        { currentTotalFen: 390_000_000, adjustedRatio: 0.1 },
      ],
      [
        unit,
        'complete-construction',
        { completedOn: today(h), surplusFen: 5_000_000 },
        'ConstructionCompleted',
        { status: 'COMPLETED' },
      ],
      [
        finance,
        'return-surplus',
        { amountFen: 5_000_000 },
        'SurplusFundsReturned',
        { surplus: { surplusFen: 5_000_000, returnedFen: 5_000_000 } },
      ],
      [
        office,
        'agree-acceptance-plan',
        { method: '专家验收', experts: ['甲', '乙', '丙'], materials: ['全部'] },
        'AcceptancePlanAgreed',
        { status: 'COMPLETED' },
      ],
      [
        office,
        'record-archive-acceptance',
        { passed: true, opinion: '合格' },
        'ArchiveAcceptanceRecorded',
        { status: 'COMPLETED' },
      ],
      [
        unit,
        'record-acceptance',
        { passed: true, opinion: '通过', materials: ALL_MATERIALS, keyContent: KEY_CONTENT },
        'AcceptancePassed',
        { status: 'ACCEPTED', acceptedOnTime: true },
      ],
      [
        unit,
        'register-asset',
        { assetClass: 'INTANGIBLE', costFen: 385_000_000 },
        'AssetRegistered',
        { status: 'ASSET_REGISTERED', asset: { assetClass: 'INTANGIBLE', costFen: 385_000_000 } },
      ],
    ];
    for (const [token, path, stepBody, event, expected] of steps) {
      const answer = await h.request('POST', `/projects/${id}/${path}`, {
        token,
        body: { ...stepBody, expectedRevision: revision },
      });
      expect({ path, status: answer.status, body: answer.body }).toMatchObject({
        path,
        status: 200,
        body: { projectId: id, revision: revision + 1, events: [event] },
      });
      revision = answer.body.revision;
      const read = await h.request('GET', `/projects/${id}?minRevision=${revision}`, { token: unit });
      expect({ path, status: read.status }).toEqual({ path, status: 200 });
      expect({ path, ...read.body }).toMatchObject({ path, revision, ...expected });
    }
    expect(revision).toBe(19);

    const doc = (await h.request('GET', `/projects/${id}`, { token: h.token('AUDIT') })).body;
    expect(doc).toMatchObject({
      status: 'ASSET_REGISTERED',
      eventCount: 20,
      openObligations: [],
      adjustedFundsTotalFen: 40_000_000,
    });
    expect(doc.dates).toMatchObject({
      approvedOn: today(h),
      startedOn: today(h),
      completedOn: today(h),
      acceptedOn: today(h),
    });
    expect(doc.eventsByFamily).toEqual({ initiation: 4, approval: 5, construction: 6, adjustment: 1, acceptance: 4 });

    const sanction = { reason: '终止', basis: { rectificationId: randomUUID() } };
    const terminate = await h.request('POST', `/projects/${id}/terminate`, { token: office, body: sanction });
    expectProblem(terminate, 409, 'INVALID_STATE');
    expect(terminate.body.currentStatus).toBe('ASSET_REGISTERED');
    const listed = await h.request('GET', '/projects?status=ASSET_REGISTERED', { token: office });
    expect(listed.body.items.map((i: { projectId: string }) => i.projectId)).toEqual([id]);
  });
});
