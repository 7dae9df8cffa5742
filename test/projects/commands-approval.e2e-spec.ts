import { registration, startHarness, type Harness } from '../support/harness';
import {
  ESTIMATE_FEN,
  acknowledgedFramework,
  driveTo,
  expectProblem,
  invalidFields,
  readProject,
  today,
} from '../support/fixtures';
import { APPROVAL_ROUTES, describeRouteContract } from '../support/route-contract';

describe('POST /projects 立项 register (第二、五、七、九条)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('201 with {projectId, revision 0, events}; the read model shows the plan', async () => {
    const body = registration('R01', { name: '鄂尔多斯市智慧城管平台', category: 'INFRASTRUCTURE', planYear: 2027 });
    const created = await h.request('POST', '/projects', { token: h.token('CONSTRUCTION_UNIT', 'R01'), body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ projectId: body.projectId, revision: 0, events: ['ProjectRegistered'] });
    const doc = await readProject(h, { id: body.projectId, dept: 'R01', revision: 0 });
    expect(doc).toMatchObject({
      projectId: body.projectId,
      name: '鄂尔多斯市智慧城管平台',
      category: 'INFRASTRUCTURE',
      departmentCode: 'R01',
      planYear: 2027,
      status: 'DRAFT_PLAN',
      estimateFen: ESTIMATE_FEN,
      approvedEstimateFen: null,
      fastTrack: false,
      revision: 0,
    });
    expect(doc.registeredAt.slice(0, 10)).toBe(h.clock.now().toISOString().slice(0, 10));
  });

  it('generates the projectId when none is given', async () => {
    const { projectId: _omit, ...body } = registration('R01');
    const created = await h.request('POST', '/projects', { token: h.token('CONSTRUCTION_UNIT', 'R01'), body });
    expect(created.status).toBe(201);
    expect(created.body.projectId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((await readProject(h, { id: created.body.projectId, dept: 'R01', revision: 0 })).status).toBe('DRAFT_PLAN');
  });

  it('400 lists every invalid, missing and unknown field at once, nested ones by path', async () => {
    const { basis: _b, ...body } = registration('R01', {
      projectId: 'nope',
      name: '',
      category: 'GARDENING',
      planYear: '2026',
      nature: 'OLD',
      estimateFen: 0,
      followsMasterPlan: 'yes',
      fastTrack: { reason: 'BORED', urgent: true, depthMet: true },
      colour: 'red',
    });
    const response = await h.request('POST', '/projects', { token: h.token('CONSTRUCTION_UNIT', 'R01'), body });
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(invalidFields(response).sort()).toEqual(
      [
        'projectId',
        'name',
        'category',
        'planYear',
        'nature',
        'estimateFen',
        'basis',
        'followsMasterPlan',
        'fastTrack.reason',
        'colour',
      ].sort(),
    );
  });

  it('400 for amounts that are not safe integers of fen', async () => {
    for (const estimateFen of [1.5, -100, Number.MAX_SAFE_INTEGER + 2, '100']) {
      const response = await h.request('POST', '/projects', {
        token: h.token('CONSTRUCTION_UNIT', 'R01'),
        body: registration('R01', { estimateFen }),
      });
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(['estimateFen']);
    }
  });

  it('401 without a token', async () => {
    expectProblem(await h.request('POST', '/projects', { body: registration('R01') }), 401, 'UNAUTHENTICATED');
  });

  it('403 for every role but CONSTRUCTION_UNIT (AUDIT never writes)', async () => {
    for (const role of ['OFFICE', 'LEADING_GROUP', 'FINANCE', 'AUDIT', 'SUPERVISOR', 'GOVERNMENT']) {
      const response = await h.request('POST', '/projects', { token: h.token(role), body: registration('R01') });
      expect({ role, status: response.status, code: response.body.code }).toEqual({
        role,
        status: 403,
        code: 'ROLE_NOT_ALLOWED',
      });
    }
  });

  it('403 DEPARTMENT_MISMATCH when registering for another department', async () => {
    const response = await h.request('POST', '/projects', {
      token: h.token('CONSTRUCTION_UNIT', 'R01'),
      body: registration('R02'),
    });
    expectProblem(response, 403, 'DEPARTMENT_MISMATCH', '第三条、第七条');
  });

  it('409 PROJECT_EXISTS when the projectId is taken', async () => {
    const body = registration('R01');
    expect((await h.request('POST', '/projects', { token: h.token('CONSTRUCTION_UNIT', 'R01'), body })).status).toBe(
      201,
    );
    const again = await h.request('POST', '/projects', {
      token: h.token('CONSTRUCTION_UNIT', 'R01'),
      body: { ...body, name: '另一个' },
    });
    expectProblem(again, 409, 'PROJECT_EXISTS', '第九条');
  });

  it('422 FAST_TRACK_OVER_LIMIT 第六条 at exactly 5,000,000 yuan; below it the proposal stage is skipped', async () => {
    const fastTrack = { reason: 'SECURITY', urgent: true, depthMet: true, evidenceRef: 'doc:city-requirement' };
    const over = await h.request('POST', '/projects', {
      token: h.token('CONSTRUCTION_UNIT', 'R01'),
      body: registration('R01', { estimateFen: 500_000_000, fastTrack }),
    });
    expectProblem(over, 422, 'FAST_TRACK_OVER_LIMIT', '第六条');
    const notUrgent = await h.request('POST', '/projects', {
      token: h.token('CONSTRUCTION_UNIT', 'R01'),
      body: registration('R01', { estimateFen: 100, fastTrack: { ...fastTrack, urgent: false } }),
    });
    expectProblem(notUrgent, 422, 'FAST_TRACK_NOT_URGENT', '第六条');

    const p = await driveTo(h, 'DRAFT_PLAN', { dept: 'R01', overrides: { estimateFen: 499_999_999, fastTrack } });
    expect((await readProject(h, p)).fastTrack).toBe(true);
    const feasibility = await h.request('POST', `/projects/${p.id}/submit-feasibility`, {
      token: h.token('CONSTRUCTION_UNIT', 'R01'),
      body: { documentRef: 'KY' },
    });
    expect(feasibility.status).toBe(200);
    expect((await readProject(h, { ...p, revision: feasibility.body.revision })).status).toBe('FEASIBILITY');
  });

  it('422 FAST_TRACK_EVIDENCE_REQUIRED 第六条 without the document; approve-feasibility confirms it', async () => {
    const fastTrack = { reason: 'CITY_REQUIREMENT', urgent: true, depthMet: true };
    const missing = await h.request('POST', '/projects', {
      token: h.token('CONSTRUCTION_UNIT', 'R01'),
      body: registration('R01', { estimateFen: 100, fastTrack }),
    });
    expectProblem(missing, 422, 'FAST_TRACK_EVIDENCE_REQUIRED', '第六条');
    const blank = await h.request('POST', '/projects', {
      token: h.token('CONSTRUCTION_UNIT', 'R01'),
      body: registration('R01', { estimateFen: 100, fastTrack: { ...fastTrack, evidenceRef: '\u200b ' } }),
    });
    // Sent but with no visible character: every text field refuses that at validation (400, named).
    expectProblem(blank, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(blank.body.errors)).toContain('fastTrack.evidenceRef');

    const evidenceRef = '鄂府办发〔2026〕12号';
    const p = await driveTo(h, 'DRAFT_PLAN', {
      dept: 'R01',
      overrides: { estimateFen: 100, fastTrack: { ...fastTrack, evidenceRef } },
    });
    const submitted = await h.request('POST', `/projects/${p.id}/submit-feasibility`, {
      token: h.token('CONSTRUCTION_UNIT', 'R01'),
      body: { documentRef: 'KY' },
    });
    expect(submitted.status).toBe(200);
    const reviewed = await h.request('POST', `/projects/${p.id}/review-sharing`, {
      token: h.token('OFFICE'),
      body: { shareable: true, opinion: '按目录共享' },
    });
    expect(reviewed.status).toBe(200);
    const approved = await h.request('POST', `/projects/${p.id}/approve-feasibility`, {
      token: h.token('OFFICE'),
      body: { opinion: '同意，确认直接编报可研' },
    });
    expect(approved.status).toBe(200);
    const history = await h.request('GET', `/projects/${p.id}/history`, { token: h.token('OFFICE') });
    const event = history.body.events.find((e: { type: string }) => e.type === 'FeasibilityApproved');
    expect(event.data).toMatchObject({ fastTrackConfirmed: true, fastTrackEvidenceRef: evidenceRef });
    const state = await h.request('GET', `/projects/${p.id}/state`, { token: h.token('OFFICE') });
    expect(state.body.state).toMatchObject({ skippedProposal: true, fastTrackConfirmed: true });
    const doc = await readProject(h, { ...p, revision: approved.body.revision });
    expect(doc).toMatchObject({ fastTrack: true, fastTrackConfirmed: true });
  });

  it('422 PROPOSAL_REQUIRED 第六条: no feasibility study before the proposal is approved (no fast track)', async () => {
    const draft = await driveTo(h, 'DRAFT_PLAN');
    const r1 = await h.request('POST', `/projects/${draft.id}/submit-feasibility`, {
      token: h.token('CONSTRUCTION_UNIT', draft.dept),
      body: { documentRef: 'KY' },
    });
    expectProblem(r1, 422, 'PROPOSAL_REQUIRED', '第六条');
    const submitted = await driveTo(h, 'PROPOSAL_SUBMITTED');
    const r2 = await h.request('POST', `/projects/${submitted.id}/submit-feasibility`, {
      token: h.token('CONSTRUCTION_UNIT', submitted.dept),
      body: { documentRef: 'KY' },
    });
    expectProblem(r2, 422, 'PROPOSAL_REQUIRED', '第六条');
  });

  it('422 DESIGN_REVIEW_REQUIRED and ESTIMATE_MISMATCH 第八条 at the design approval', async () => {
    const p = await driveTo(h, 'DESIGN_SUBMITTED');
    const office = h.token('OFFICE');
    const early = await h.request('POST', `/projects/${p.id}/approve-preliminary-design`, {
      token: office,
      body: { opinion: '批复', approvedEstimateFen: ESTIMATE_FEN },
    });
    expectProblem(early, 422, 'DESIGN_REVIEW_REQUIRED', '第八条');
    const reviewed = await h.request('POST', `/projects/${p.id}/review-preliminary-design`, {
      token: office,
      body: { passed: true, verifiedEstimateFen: 280_000_000, opinion: '核减' },
    });
    expect(reviewed.status).toBe(200);
    const mismatch = await h.request('POST', `/projects/${p.id}/approve-preliminary-design`, {
      token: office,
      body: { opinion: '批复', approvedEstimateFen: ESTIMATE_FEN },
    });
    expectProblem(mismatch, 422, 'ESTIMATE_MISMATCH', '第八条');
    expect(mismatch.body).toMatchObject({ approvedEstimateFen: ESTIMATE_FEN, verifiedEstimateFen: 280_000_000 });
    const ok = await h.request('POST', `/projects/${p.id}/approve-preliminary-design`, {
      token: office,
      body: { opinion: '批复', approvedEstimateFen: 280_000_000 },
    });
    expect(ok.status).toBe(200);
    expect(await readProject(h, { ...p, revision: ok.body.revision })).toMatchObject({
      status: 'APPROVED',
      approvedEstimateFen: 280_000_000,
    });
  });

  it('a rejected proposal may be resubmitted; other stages may not', async () => {
    const p = await driveTo(h, 'PROPOSAL_SUBMITTED');
    expect(
      (
        await h.request('POST', `/projects/${p.id}/reject-proposal`, {
          token: h.token('OFFICE'),
          body: { opinion: '补充材料' },
        })
      ).status,
    ).toBe(200);
    const wrongStage = await h.request('POST', `/projects/${p.id}/submit-preliminary-design`, {
      token: h.token('CONSTRUCTION_UNIT', p.dept),
      body: {
        documentRef: 'CS',
        estimateFen: ESTIMATE_FEN,
        productSecurityStatement: '安全',
        cryptoApplicationPlan: 'M',
      },
    });
    expectProblem(wrongStage, 409, 'INVALID_STATE');
    expect(wrongStage.body.currentStatus).toBe('REJECTED');
    const again = await h.request('POST', `/projects/${p.id}/submit-proposal`, {
      token: h.token('CONSTRUCTION_UNIT', p.dept),
      body: { documentRef: 'JY-2' },
    });
    expect(again.status).toBe(200);
    expect((await readProject(h, { ...p, revision: again.body.revision })).status).toBe('PROPOSAL');
  });

  it('cross-department (第七条): a participant reads the project but may not act on it', async () => {
    const frameworkId = await acknowledgedFramework(h, 'LEAD', ['PART']);
    const body = registration('LEAD', { crossDepartment: { frameworkId } });
    const created = await h.request('POST', '/projects', { token: h.token('CONSTRUCTION_UNIT', 'LEAD'), body });
    expect(created.status).toBe(201);
    const read = await h.request('GET', `/projects/${body.projectId}?minRevision=0`, {
      token: h.token('CONSTRUCTION_UNIT', 'PART'),
    });
    expect(read.status).toBe(200);
    expect(read.body.departments).toEqual(['LEAD', 'PART']);
    const act = await h.request('POST', `/projects/${body.projectId}/submit-proposal`, {
      token: h.token('CONSTRUCTION_UNIT', 'PART'),
      body: { documentRef: 'X' },
    });
    expectProblem(act, 403, 'OTHER_DEPARTMENT', '第三条');
    expect(act.body.projectDepartment).toBeUndefined();
    const stranger = await h.request('GET', `/projects/${body.projectId}`, {
      token: h.token('CONSTRUCTION_UNIT', 'ELSE'),
    });
    expectProblem(stranger, 404, 'PROJECT_NOT_FOUND');
    const invalid = await h.request('POST', '/projects', {
      token: h.token('CONSTRUCTION_UNIT', 'LEAD'),
      body: registration('LEAD', {
        crossDepartment: { frameworkId, leadDepartment: 'LEAD', participants: ['LEAD'] },
      }),
    });
    expectProblem(invalid, 422, 'CROSS_DEPARTMENT_INVALID', '第七条');
  });

  it('today() helper matches the server date stamped on decisions', async () => {
    const p = await driveTo(h, 'APPROVED');
    expect((await readProject(h, p)).dates.approvedOn).toBe(today(h));
  });
});

describeRouteContract('approval commands over HTTP (docs/api.md)', APPROVAL_ROUTES);
