import { randomUUID } from 'node:crypto';
import { registration as registrationBody, startHarness, type Harness } from '../support/harness';
import {
  ALL_MATERIALS,
  ESTIMATE_FEN,
  KEY_CONTENT,
  SURPLUS_FEN,
  command,
  driveTo,
  expectProblem,
  invalidFields,
  orderRectification,
  rejectedRectification,
  readProject,
  today,
  type Project,
} from '../support/fixtures';

const COMPLIANT = {
  sharesData: true,
  duplicateCollection: false,
  inCatalogue: true,
  cryptoAssessmentPassed: true,
  securityAssessmentPassed: true,
  majorSecurityHazard: false,
};

/** 422 RULE_VIOLATION refusals over HTTP: each with its code and article, and nothing appended. */
describe('rules of the measures over HTTP (422 with code and article)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const post = (p: Project, path: string, body: object, role = 'CONSTRUCTION_UNIT') =>
    h.request('POST', `/projects/${p.id}/${path}`, {
      token: role === 'CONSTRUCTION_UNIT' ? h.token(role, p.dept) : h.token(role),
      body,
    });

  async function expectUnchanged(p: Project) {
    expect((await readProject(h, p)).revision).toBe(p.revision);
  }

  it('a registration may carry its finance investment library id (财政投资项目库), shown in the read model', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN', { overrides: { financeLibraryId: 'CZ-2026-0042' } });
    expect((await readProject(h, p)).financeLibraryId).toBe('CZ-2026-0042');
    const without = await driveTo(h, 'DRAFT_PLAN');
    expect((await readProject(h, without)).financeLibraryId).toBeNull();
    const bad = await h.request('POST', '/projects', {
      token: h.token('CONSTRUCTION_UNIT', 'D-FIN-LIB'),
      body: { ...registrationBody('D-FIN-LIB'), financeLibraryId: 'x'.repeat(101) },
    });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(invalidFields(bad)).toEqual(['financeLibraryId']);
  });

  it('第十条 RESPONSIBILITY_REQUIRED and 第十六条 SUPERVISION_REQUIRED before the start (≥ 2,000,000 yuan)', async () => {
    const p = await driveTo(h, 'APPROVED');
    const noOne = await post(p, 'start-construction', { startedOn: today(h) });
    expectProblem(noOne, 422, 'RESPONSIBILITY_REQUIRED', '第十条');
    expect(noOne.body.missing).toEqual(['implementingBody', 'responsiblePerson']);
    await command(h, p, 'CONSTRUCTION_UNIT', 'assign-responsibility', {
      implementingBody: '中心',
      responsiblePerson: '张三',
    });
    const noSupervision = await post(p, 'start-construction', { startedOn: today(h) });
    expectProblem(noSupervision, 422, 'SUPERVISION_REQUIRED', '第十六条');
    expect(noSupervision.body).toMatchObject({ approvedEstimateFen: ESTIMATE_FEN, thresholdFen: 200_000_000 });
    await expectUnchanged(p);
  });

  it('第十六条 at exactly 2,000,000 yuan supervision is required; just below it is not', async () => {
    const at = await driveTo(h, 'DESIGN_SUBMITTED');
    await command(h, at, 'OFFICE', 'review-preliminary-design', {
      passed: true,
      verifiedEstimateFen: 200_000_000,
      opinion: '核价',
    });
    await command(h, at, 'OFFICE', 'approve-preliminary-design', { opinion: '批复', approvedEstimateFen: 200_000_000 });
    await command(h, at, 'CONSTRUCTION_UNIT', 'assign-responsibility', {
      implementingBody: '中心',
      responsiblePerson: '张三',
    });
    expectProblem(
      await post(at, 'start-construction', { startedOn: today(h) }),
      422,
      'SUPERVISION_REQUIRED',
      '第十六条',
    );

    const below = await driveTo(h, 'DESIGN_SUBMITTED');
    await command(h, below, 'OFFICE', 'review-preliminary-design', {
      passed: true,
      verifiedEstimateFen: 199_999_999,
      opinion: '核价',
    });
    await command(h, below, 'OFFICE', 'approve-preliminary-design', {
      opinion: '批复',
      approvedEstimateFen: 199_999_999,
    });
    await command(h, below, 'CONSTRUCTION_UNIT', 'assign-responsibility', {
      implementingBody: '中心',
      responsiblePerson: '张三',
    });
    const started = await command(h, below, 'CONSTRUCTION_UNIT', 'start-construction', { startedOn: today(h) });
    expect(started.events).toEqual(['ConstructionStarted']);
    expect((await readProject(h, below)).supervisionRequired).toBe(false);
  });

  it('第八条 CONSTRUCTION_BEFORE_APPROVAL: no start before the design approval, nor dated before it', async () => {
    const p = await driveTo(h, 'DESIGN_REVIEWED');
    expectProblem(
      await post(p, 'start-construction', { startedOn: today(h) }),
      422,
      'CONSTRUCTION_BEFORE_APPROVAL',
      '第八条',
    );
    const q = await driveTo(h, 'SUPERVISED');
    expectProblem(
      await post(q, 'start-construction', { startedOn: today(h, -1) }),
      422,
      'CONSTRUCTION_BEFORE_APPROVAL',
      '第八条',
    );
    await expectUnchanged(q);
  });

  it(
    '第二十条 adjustments: exactly 10 % passes, ' + 'the running total beyond it is refused (ADJUSTMENT_EXCEEDS_LIMIT)',
    async () => {
      const p = await driveTo(h, 'UNDER_CONSTRUCTION');
      const base = {
        reason: 'BUSINESS_NEEDS',
        newTotalFen: ESTIMATE_FEN,
        objectivesUnchanged: true,
        description: '调整',
      };
      await command(h, p, 'CONSTRUCTION_UNIT', 'file-adjustment', { ...base, amountFen: 20_000_000 });
      await command(h, p, 'CONSTRUCTION_UNIT', 'file-adjustment', { ...base, amountFen: 10_000_000 });
      const over = await post(p, 'file-adjustment', { ...base, amountFen: 1 });
      expectProblem(over, 422, 'ADJUSTMENT_EXCEEDS_LIMIT', '第二十条');
      expect(over.body).toMatchObject({
        previouslyAdjustedFen: 30_000_000,
        adjustedFundsTotalFen: 30_000_001,
        adjustmentCeilingFen: 30_000_000,
      });
      expect(over.body.detail).toContain('重新履行审批手续');
      const doc = await readProject(h, p);
      expect(doc).toMatchObject({ revision: p.revision, adjustedFundsTotalFen: 30_000_000 });
      expect(doc.adjustedRatio).toBeCloseTo(0.1, 10);
    },
  );

  it('第二十条 the other conditions: within the approved estimate, objectives unchanged, an allowed reason', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const base = {
      reason: 'CITY_APPROVED',
      amountFen: 1_000,
      newTotalFen: ESTIMATE_FEN,
      objectivesUnchanged: true,
      description: '调整',
    };
    expectProblem(
      await post(p, 'file-adjustment', { ...base, newTotalFen: ESTIMATE_FEN + 1 }),
      422,
      'ADJUSTMENT_EXCEEDS_ESTIMATE',
      '第二十条',
    );
    expectProblem(
      await post(p, 'file-adjustment', { ...base, objectivesUnchanged: false }),
      422,
      'ADJUSTMENT_OBJECTIVES_CHANGED',
      '第二十条',
    );
    const reason = await post(p, 'file-adjustment', { ...base, reason: 'WHIM' });
    expectProblem(reason, 400, 'VALIDATION_FAILED');
    await expectUnchanged(p);
  });

  it('第十七条 performance report: supervision opinion required, one per year, only construction years', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const year = Number(today(h).slice(0, 4));
    const report = { year, progressPercent: 30, investmentExecutedFen: 1_000, userOpinions: '好' };
    expectProblem(await post(p, 'submit-performance-report', report), 422, 'SUPERVISION_OPINION_REQUIRED', '第十七条');
    expectProblem(
      await post(p, 'submit-performance-report', { ...report, year: year - 1, supervisionOpinion: '同意' }),
      422,
      'REPORT_YEAR_OUT_OF_RANGE',
      '第十七条',
    );
    await command(h, p, 'CONSTRUCTION_UNIT', 'submit-performance-report', { ...report, supervisionOpinion: '同意' });
    expectProblem(
      await post(p, 'submit-performance-report', { ...report, supervisionOpinion: '同意' }),
      409,
      'PERFORMANCE_REPORT_DUPLICATE',
      '第十七条',
    );
    const percent = await post(p, 'submit-performance-report', { ...report, progressPercent: 101 });
    expectProblem(percent, 400, 'VALIDATION_FAILED');
  });

  it(
    '第十九条 completion and surplus: not before the start, surplus within the total, ' + 'returns within the surplus',
    async () => {
      const p = await driveTo(h, 'UNDER_CONSTRUCTION');
      expectProblem(
        await post(p, 'complete-construction', { completedOn: today(h, -1), surplusFen: 0 }),
        422,
        'COMPLETION_BEFORE_START',
        '第二十一条',
      );
      expectProblem(
        await post(p, 'complete-construction', { completedOn: today(h), surplusFen: ESTIMATE_FEN + 1 }),
        422,
        'SURPLUS_EXCEEDS_TOTAL',
        '第十九条',
      );
      await command(h, p, 'CONSTRUCTION_UNIT', 'complete-construction', { completedOn: today(h), surplusFen: 500 });
      await command(h, p, 'FINANCE', 'return-surplus', { amountFen: 300 });
      const over = await post(p, 'return-surplus', { amountFen: 201 }, 'FINANCE');
      expectProblem(over, 422, 'SURPLUS_RETURN_EXCEEDS', '第十九条');
      expect((await readProject(h, p)).surplus).toEqual({ surplusFen: 500, returnedFen: 300 });
    },
  );

  it(
    '第二十一条 acceptance: plan first, every material listed when missing, ' + 'extension later than the due date',
    async () => {
      const p = await driveTo(h, 'COMPLETED');
      const noPlan = await post(p, 'record-acceptance', {
        passed: true,
        opinion: '通过',
        materials: ALL_MATERIALS,
        keyContent: KEY_CONTENT,
      });
      expectProblem(noPlan, 422, 'ACCEPTANCE_PLAN_REQUIRED', '第二十一条');
      await command(h, p, 'OFFICE', 'agree-acceptance-plan', { method: '会议', experts: ['甲'], materials: [] });
      const { securityAssessmentReport: _s, cryptoAssessmentReport: _c, ...partial } = ALL_MATERIALS;
      const incomplete = await post(p, 'record-acceptance', { passed: true, opinion: '通过', materials: partial });
      expectProblem(incomplete, 422, 'MATERIALS_INCOMPLETE', '第二十一条');
      expect(incomplete.body.missing).toEqual(['securityAssessmentReport', 'cryptoAssessmentReport']);
      const none = await post(p, 'record-acceptance', { passed: true, opinion: '通过' });
      expectProblem(none, 422, 'MATERIALS_INCOMPLETE', '第二十一条');
      expect(none.body.missing).toHaveLength(7);

      const due = (await readProject(h, p)).dates.acceptanceDueOn;
      expectProblem(
        await post(p, 'request-acceptance-extension', { until: due, reason: '延期' }),
        422,
        'EXTENSION_NOT_LATER',
        '第二十一条',
      );
      expectProblem(
        await post(p, 'grant-acceptance-extension', { opinion: '同意' }, 'OFFICE'),
        422,
        'EXTENSION_NOT_REQUESTED',
        '第二十一条',
      );
      await expectUnchanged(p);
    },
  );

  it(
    '第二十二条 ARCHIVE_ACCEPTANCE_REQUIRED; ' +
      'passed: false records AcceptanceFailed and acceptance may be held again',
    async () => {
      const p = await driveTo(h, 'PLAN_AGREED');
      const passing = { passed: true, opinion: '通过', materials: ALL_MATERIALS, keyContent: KEY_CONTENT };
      const noArchive = await post(p, 'record-acceptance', passing);
      expectProblem(noArchive, 422, 'ARCHIVE_ACCEPTANCE_REQUIRED', '第二十二条');
      await command(h, p, 'OFFICE', 'record-archive-acceptance', { passed: false, opinion: '档案不全' });
      expectProblem(await post(p, 'record-acceptance', passing), 422, 'ARCHIVE_ACCEPTANCE_REQUIRED', '第二十二条');
      const failed = await command(h, p, 'CONSTRUCTION_UNIT', 'record-acceptance', {
        passed: false,
        opinion: '不通过',
      });
      expect(failed.events).toEqual(['AcceptanceFailed']);
      expect((await readProject(h, p)).status).toBe('ACCEPTANCE_FAILED');
      await command(h, p, 'OFFICE', 'record-archive-acceptance', { passed: true, opinion: '补齐' });
      await command(h, p, 'CONSTRUCTION_UNIT', 'record-acceptance', { ...passing, opinion: '复验通过' });
      expect((await readProject(h, p)).status).toBe('ACCEPTED');
    },
  );

  it('第十三条 key content: listed when missing, crypto and security passed, no open major hazard', async () => {
    const p = await driveTo(h, 'ARCHIVE_PASSED');
    const body = (keyContent: object) => ({ passed: true, opinion: '通过', materials: ALL_MATERIALS, keyContent });
    const none = await post(p, 'record-acceptance', { passed: true, opinion: '通过', materials: ALL_MATERIALS });
    expectProblem(none, 422, 'KEY_CONTENT_INCOMPLETE', '第十三条');
    expect(none.body.missing).toEqual(['productSecurityReliability', 'cryptoAssessmentPassed', 'securityReviewPassed']);
    const crypto = await post(p, 'record-acceptance', body({ ...KEY_CONTENT, cryptoAssessmentPassed: false }));
    expectProblem(crypto, 422, 'KEY_CONTENT_NOT_PASSED', '第十三条');
    expect(crypto.body.failed).toEqual(['cryptoAssessmentPassed']);
    const wrongType = await post(p, 'record-acceptance', body({ ...KEY_CONTENT, securityReviewPassed: 'yes' }));
    expectProblem(wrongType, 400, 'VALIDATION_FAILED');
    expect(invalidFields(wrongType)).toEqual(['keyContent.securityReviewPassed']);

    await command(h, p, 'SUPERVISOR', 'record-compliance', { ...COMPLIANT, majorSecurityHazard: true });
    expectProblem(await post(p, 'record-acceptance', body(KEY_CONTENT)), 422, 'MAJOR_SECURITY_HAZARD_OPEN', '第十三条');
    // the office agrees the plan; the construction unit records the acceptance (第二十一条)
    expectProblem(await post(p, 'record-acceptance', body(KEY_CONTENT), 'OFFICE'), 403, 'ROLE_NOT_ALLOWED');
    await expectUnchanged(p);
    await command(h, p, 'SUPERVISOR', 'record-compliance', COMPLIANT);
    await command(h, p, 'CONSTRUCTION_UNIT', 'record-acceptance', body(KEY_CONTENT));
    expect((await readProject(h, p)).status).toBe('ACCEPTED');
  });

  it('第十三条 energy efficiency is key content of an INFRASTRUCTURE project', async () => {
    const p = await driveTo(h, 'ARCHIVE_PASSED', { overrides: { category: 'INFRASTRUCTURE' } });
    const body = (keyContent: object) => ({ passed: true, opinion: '通过', materials: ALL_MATERIALS, keyContent });
    const missing = await post(p, 'record-acceptance', body(KEY_CONTENT));
    expectProblem(missing, 422, 'KEY_CONTENT_INCOMPLETE', '第十三条');
    expect(missing.body.missing).toEqual(['energyEfficiency']);
    await command(
      h,
      p,
      'CONSTRUCTION_UNIT',
      'record-acceptance',
      body({ ...KEY_CONTENT, energyEfficiency: 'PUE 1.25' }),
    );
    expect((await readProject(h, p)).status).toBe('ACCEPTED');
  });

  it('第二十一条 EXTENSION_TOO_LATE after the due date; a late acceptance stays late', async () => {
    const start = h.clock.now();
    try {
      const p = await driveTo(h, 'ARCHIVE_PASSED');
      const due = (await readProject(h, p)).dates.acceptanceDueOn;
      h.clock.set(new Date(`${due}T23:00:00+08:00`));
      // on the due date itself: in time
      await command(h, p, 'CONSTRUCTION_UNIT', 'request-acceptance-extension', { until: '2099-12-31', reason: '测评' });
      h.clock.set(new Date(start.getTime() + 200 * 86_400_000));
      const late = await post(p, 'request-acceptance-extension', { until: '2099-12-31', reason: '测评' });
      expectProblem(late, 422, 'EXTENSION_TOO_LATE', '第二十一条');
      expect(late.body).toMatchObject({ currentDueOn: due, today: today(h) });
      // the office grants the timely request after the due date: the missed date stays on record
      await command(h, p, 'OFFICE', 'grant-acceptance-extension', { opinion: '同意' });
      const extended = await readProject(h, p);
      expect(extended.dates).toMatchObject({ acceptanceDueOn: '2099-12-31', acceptanceMissedDueOn: due });
      expect(extended.openObligations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'ACCEPTANCE', dueOn: '2099-12-31', missedDueOn: due }),
        ]),
      );
      await command(h, p, 'CONSTRUCTION_UNIT', 'record-acceptance', {
        passed: true,
        opinion: '通过',
        materials: ALL_MATERIALS,
        keyContent: KEY_CONTENT,
      });
      const history = await h.request('GET', `/projects/${p.id}/history`, { token: h.token('AUDIT') });
      const passed = history.body.events.find((e: { type: string }) => e.type === 'AcceptancePassed');
      expect(passed.data).toMatchObject({ acceptanceDueOn: '2099-12-31', onTime: false, missedDueOn: due });
      expect((await readProject(h, p)).acceptedOnTime).toBe(false);
    } finally {
      h.clock.set(start);
    }
  });

  it('第二十三条 ASSET_COST_EXCEEDS_ACTUAL above the approved total less the surplus', async () => {
    const p = await driveTo(h, 'ACCEPTED');
    const actualCostFen = ESTIMATE_FEN - SURPLUS_FEN;
    const over = await post(p, 'register-asset', { assetClass: 'INTANGIBLE', costFen: actualCostFen + 1 });
    expectProblem(over, 422, 'ASSET_COST_EXCEEDS_ACTUAL', '第二十三条');
    expect(over.body).toMatchObject({ costFen: actualCostFen + 1, actualCostFen, surplusFen: SURPLUS_FEN });
    await expectUnchanged(p);
    await command(h, p, 'CONSTRUCTION_UNIT', 'register-asset', { assetClass: 'INTANGIBLE', costFen: actualCostFen });
  });

  it('第十二条 the preliminary design carries its crypto application plan', async () => {
    const p = await driveTo(h, 'FEASIBILITY_APPROVED');
    const design = { documentRef: 'CS-1', estimateFen: ESTIMATE_FEN, productSecurityStatement: '安全可靠' };
    const absent = await post(p, 'submit-preliminary-design', design);
    expectProblem(absent, 400, 'VALIDATION_FAILED');
    expect(invalidFields(absent)).toEqual(['cryptoApplicationPlan']);
    // No visible character: refused at validation like every text field (the domain refuses it too).
    const blank = await post(p, 'submit-preliminary-design', { ...design, cryptoApplicationPlan: '   ' });
    expectProblem(blank, 400, 'VALIDATION_FAILED');
    expect(invalidFields(blank)).toEqual(['cryptoApplicationPlan']);
    await expectUnchanged(p);
  });

  it('第二十三条 ASSET_BEFORE_ACCEPTANCE', async () => {
    const p = await driveTo(h, 'COMPLETED');
    expectProblem(
      await post(p, 'register-asset', { assetClass: 'FIXED', costFen: 100 }),
      422,
      'ASSET_BEFORE_ACCEPTANCE',
      '第二十三条',
    );
    await expectUnchanged(p);
  });

  it('第二十七条 rectification: a future deadline, known ids, report before verification, rejection reopens', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const order = { findings: ['问题'], deadline: today(h), article: '第二十七条' };
    expectProblem(
      await post(p, 'order-rectification', order, 'SUPERVISOR'),
      422,
      'DEADLINE_NOT_IN_FUTURE',
      '第二十七条',
    );
    const unknown = randomUUID();
    expectProblem(
      await post(p, 'submit-rectification', { rectificationId: unknown, report: 'x' }),
      404,
      'RECTIFICATION_NOT_FOUND',
      '第二十七条',
    );
    const id = await orderRectification(h, p);
    expectProblem(
      await post(p, 'order-rectification', { ...order, rectificationId: id, deadline: today(h, 5) }, 'OFFICE'),
      409,
      'RECTIFICATION_EXISTS',
    );
    expectProblem(
      await post(p, 'verify-rectification', { rectificationId: id, passed: true, opinion: '好' }, 'OFFICE'),
      409,
      'RECTIFICATION_NOT_SUBMITTED',
      '第二十七条',
    );
    await command(h, p, 'CONSTRUCTION_UNIT', 'submit-rectification', { rectificationId: id, report: '已整改' });
    expectProblem(
      await post(p, 'submit-rectification', { rectificationId: id, report: '再次' }),
      409,
      'RECTIFICATION_NOT_OPEN',
      '第二十七条',
    );
    const rejected = await command(h, p, 'SUPERVISOR', 'verify-rectification', {
      rectificationId: id,
      passed: false,
      opinion: '仍不符合',
    });
    expect(rejected.events).toEqual(['RectificationRejected']);
    expect((await readProject(h, p)).rectifications[0]).toMatchObject({ rectificationId: id, status: 'REJECTED' });
    await command(h, p, 'CONSTRUCTION_UNIT', 'submit-rectification', { rectificationId: id, report: '再次整改' });
  });

  it(
    '第二十七条 a suspended project accepts only resume, rectification and termination; ' +
      'terminated accepts nothing',
    async () => {
      const p = await driveTo(h, 'UNDER_CONSTRUCTION');
      const basis = await rejectedRectification(h, p);
      await command(h, p, 'OFFICE', 'suspend', { reason: '整改不到位', basis });
      const report = await post(p, 'report-incident', { kind: 'MAJOR_LOSS', description: '损失' });
      expectProblem(report, 409, 'INVALID_STATE');
      expect(report.body.currentStatus).toBe('SUSPENDED');
      await orderRectification(h, p);
      await command(h, p, 'OFFICE', 'terminate', { reason: '终止', basis });
      const resume = await post(p, 'resume', { reason: '恢复' }, 'OFFICE');
      expectProblem(resume, 409, 'INVALID_STATE');
      expect(resume.body.currentStatus).toBe('TERMINATED');
    },
  );

  it('第二十四条 EXEMPTION_ALREADY_GRANTED; compliance facts decide O&M eligibility with every reason', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    await command(h, p, 'SUPERVISOR', 'record-compliance', {
      sharesData: false,
      duplicateCollection: true,
      inCatalogue: false,
      cryptoAssessmentPassed: false,
      securityAssessmentPassed: true,
      majorSecurityHazard: true,
    });
    const doc = await readProject(h, p);
    expect(doc.omEligibility.eligible).toBe(false);
    expect(doc.omEligibility.reasons.map((r: { code: string }) => r.code)).toEqual([
      'NOT_SHARING',
      'DUPLICATE_COLLECTION',
      'NOT_IN_CATALOGUE',
      'CRYPTO_NOT_COMPLIANT',
      'MAJOR_SECURITY_HAZARD',
    ]);
    await command(h, p, 'GOVERNMENT', 'grant-sharing-exemption', { reason: '涉密' });
    expect((await readProject(h, p)).omEligibility.reasons.map((r: { code: string }) => r.code)).not.toContain(
      'NOT_SHARING',
    );
    expectProblem(
      await post(p, 'grant-sharing-exemption', { reason: '再次' }, 'GOVERNMENT'),
      409,
      'EXEMPTION_ALREADY_GRANTED',
      '第二十四条',
    );
  });

  it('第二十四条 SHARING_REVIEW_REQUIRED before a NEW or UPGRADE study is approved; none for a CONTINUATION', async () => {
    const p = await driveTo(h, 'FEASIBILITY_SUBMITTED', { overrides: { nature: 'NEW' } });
    const refused = await post(p, 'approve-feasibility', { opinion: '同意' }, 'OFFICE');
    expectProblem(refused, 422, 'SHARING_REVIEW_REQUIRED', '第二十四条');
    await expectUnchanged(p);
    await command(h, p, 'OFFICE', 'review-sharing', { shareable: true, opinion: '按目录共享' });
    expect((await readProject(h, p)).sharingReview).toMatchObject({ shareable: true, reviewedOn: today(h) });
    await command(h, p, 'OFFICE', 'approve-feasibility', { opinion: '同意' });

    const continuation = await driveTo(h, 'FEASIBILITY_SUBMITTED', { overrides: { nature: 'CONTINUATION' } });
    await command(h, continuation, 'OFFICE', 'approve-feasibility', { opinion: '同意' });
  });

  it('第二十四条 SHARING_EXEMPTION_REQUIRED: a project that will not share needs the government first', async () => {
    const p = await driveTo(h, 'FEASIBILITY_SUBMITTED');
    await command(h, p, 'OFFICE', 'review-sharing', { shareable: false, opinion: '涉密数据不能共享' });
    await command(h, p, 'OFFICE', 'approve-feasibility', { opinion: '同意' });
    await command(h, p, 'CONSTRUCTION_UNIT', 'submit-preliminary-design', {
      documentRef: 'CS-1',
      estimateFen: ESTIMATE_FEN,
      productSecurityStatement: '安全可靠',
      cryptoApplicationPlan: 'MM-1',
    });
    await command(h, p, 'OFFICE', 'review-preliminary-design', {
      passed: true,
      verifiedEstimateFen: ESTIMATE_FEN,
      opinion: '通过',
    });
    const approve = { opinion: '批复', approvedEstimateFen: ESTIMATE_FEN };
    const refused = await post(p, 'approve-preliminary-design', approve, 'OFFICE');
    expectProblem(refused, 422, 'SHARING_EXEMPTION_REQUIRED', '第二十四条');
    await expectUnchanged(p);
    await command(h, p, 'GOVERNMENT', 'grant-sharing-exemption', { reason: '涉密系统，经市人民政府批准' });
    await command(h, p, 'OFFICE', 'approve-preliminary-design', approve);
    expect((await readProject(h, p)).status).toBe('APPROVED');
  });
});
