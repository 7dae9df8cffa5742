import { randomUUID } from 'node:crypto';
import { registration, startHarness, type Harness } from '../support/harness';
import { command, driveTo, expectProblem, invalidFields, readProject, type Project } from '../support/fixtures';

/**
 * 第二十四条 the construction ban over HTTP: a department with a system (a project in operation
 * or an inventoried existing system) not sharing without exemption, re-collecting data, failing
 * crypto or security or with a major hazard may not register a NEW or UPGRADE project, start
 * construction or file an adjustment, until a newer compliance record clears the finding.
 */
describe('第二十四条 existing systems and the construction ban over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const GOOD = {
    sharesData: true,
    duplicateCollection: false,
    inCatalogue: true,
    cryptoAssessmentPassed: true,
    securityAssessmentPassed: true,
    majorSecurityHazard: false,
  };
  let n = 0;
  const freshDept = () => `D-BAN${++n}`;
  const inventory = (dept: string, body: object = {}) =>
    h.request('POST', '/systems', {
      token: h.token('CONSTRUCTION_UNIT', dept),
      body: { name: '教育资源公共服务平台', inCatalogue: true, description: '2018年建成，运行中', ...body },
    });
  const recordCompliance = (systemId: string, facts: object, role = 'SUPERVISOR') =>
    h.request('POST', `/systems/${systemId}/record-compliance`, {
      token: h.token(role, role === 'CONSTRUCTION_UNIT' ? 'D-X' : undefined),
      body: { ...GOOD, ...facts },
    });
  const register = (dept: string, overrides: Record<string, unknown> = {}) =>
    h.request('POST', '/projects', {
      token: h.token('CONSTRUCTION_UNIT', dept),
      body: registration(dept, { planYear: 2026, ...overrides }),
    });
  const systems = (role: string, dept?: string, query = '') =>
    h.request('GET', `/systems${query}`, { token: h.token(role, dept) });

  async function systemWith(dept: string, facts: object): Promise<string> {
    const created = await inventory(dept);
    expect(created.status).toBe(201);
    const systemId = created.body.systemId as string;
    expect((await recordCompliance(systemId, facts)).status).toBe(200);
    return systemId;
  }

  it('inventories an existing system of the caller’s department and lists it with its findings', async () => {
    const dept = freshDept();
    const created = await inventory(dept, { inCatalogue: false });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ revision: 0, events: ['ExistingSystemInventoried'] });
    const systemId = created.body.systemId;
    const listed = await systems('CONSTRUCTION_UNIT', dept);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        kind: 'EXISTING_SYSTEM',
        id: systemId,
        departmentCode: dept,
        inCatalogue: false,
        banned: false,
        banReasons: [],
        omEligible: false,
        omReasonCodes: ['COMPLIANCE_NOT_RECORDED'],
      }),
    ]);
    // (二) outside the catalogue: no O&M funds, no ban
    await recordCompliance(systemId, { inCatalogue: false });
    const one = await h.request('GET', `/systems/${systemId}`, { token: h.token('OFFICE') });
    expect(one.body).toMatchObject({ banned: false, omEligible: false, omReasonCodes: ['NOT_IN_CATALOGUE'] });
    expect((await register(dept)).status).toBe(201);
  });

  it('refuses a NEW or UPGRADE registration naming each system, registers a continuation', async () => {
    const dept = freshDept();
    const hazard = await systemWith(dept, { majorSecurityHazard: true });
    const recollecting = await systemWith(dept, { duplicateCollection: true, cryptoAssessmentPassed: false });
    for (const nature of ['NEW', 'UPGRADE']) {
      const refused = await register(dept, { nature });
      expectProblem(refused, 422, 'CONSTRUCTION_BANNED', '第二十四条');
      expect(refused.body.systems).toEqual(
        expect.arrayContaining([
          { kind: 'EXISTING_SYSTEM', id: hazard, name: '教育资源公共服务平台', reasons: ['MAJOR_SECURITY_HAZARD'] },
          {
            kind: 'EXISTING_SYSTEM',
            id: recollecting,
            name: '教育资源公共服务平台',
            reasons: ['DUPLICATE_COLLECTION', 'CRYPTO_NOT_COMPLIANT'],
          },
        ]),
      );
      expect(refused.body.systems).toHaveLength(2);
    }
    expect((await register(dept, { nature: 'CONTINUATION' })).status).toBe(201);
    // another department is not touched by this one's systems
    expect((await register(freshDept())).status).toBe(201);
  });

  it('a newer compliance record clears the ban at once; the exemption clears not sharing only', async () => {
    const dept = freshDept();
    const systemId = await systemWith(dept, { sharesData: false, majorSecurityHazard: true });
    expectProblem(await register(dept), 422, 'CONSTRUCTION_BANNED');
    await recordCompliance(systemId, { sharesData: false });
    const stillNotSharing = await register(dept);
    expectProblem(stillNotSharing, 422, 'CONSTRUCTION_BANNED');
    expect(stillNotSharing.body.systems[0].reasons).toEqual(['NOT_SHARING']);
    const exempt = (role: string) =>
      h.request('POST', `/systems/${systemId}/grant-sharing-exemption`, {
        token: h.token(role),
        body: { reason: '涉密系统，依法不能共享' },
      });
    expect((await exempt('OFFICE')).status).toBe(403);
    expect((await exempt('GOVERNMENT')).status).toBe(200);
    expectProblem(await exempt('GOVERNMENT'), 409, 'EXEMPTION_ALREADY_GRANTED', '第二十四条');
    expect((await register(dept)).status).toBe(201);
  });

  it('a project in operation bans its department; one still being built does not', async () => {
    const dept = freshDept();
    const accepted = await driveTo(h, 'ACCEPTED', { dept });
    const building = await driveTo(h, 'APPROVED', { dept });
    const other: Project = await driveTo(h, 'UNDER_CONSTRUCTION', { dept });
    await command(h, building, 'SUPERVISOR', 'record-compliance', { ...GOOD, securityAssessmentPassed: false });
    // a system under construction is no system of the department yet: start still allowed
    expect((await register(dept)).status).toBe(201);
    await command(h, accepted, 'SUPERVISOR', 'record-compliance', { ...GOOD, securityAssessmentPassed: false });
    const refused = await register(dept);
    expectProblem(refused, 422, 'CONSTRUCTION_BANNED');
    expect(refused.body.systems).toEqual([
      { kind: 'PROJECT', id: accepted.id, name: expect.any(String), reasons: ['SECURITY_NOT_COMPLIANT'] },
    ]);
    await command(h, building, 'CONSTRUCTION_UNIT', 'assign-responsibility', {
      implementingBody: '信息中心',
      responsiblePerson: '张三',
    });
    await command(h, building, 'CONSTRUCTION_UNIT', 'engage-supervision', {
      supervisionUnit: '监理',
      contractRef: 'c',
    });
    const start = await h.request('POST', `/projects/${building.id}/start-construction`, {
      token: h.token('CONSTRUCTION_UNIT', dept),
      body: { startedOn: '2026-03-02' },
    });
    expectProblem(start, 422, 'CONSTRUCTION_BANNED', '第二十四条');
    const adjust = await h.request('POST', `/projects/${other.id}/file-adjustment`, {
      token: h.token('CONSTRUCTION_UNIT', dept),
      body: {
        reason: 'TECHNICAL_OPTIMIZATION',
        amountFen: 1_000_000,
        newTotalFen: 300_000_000,
        objectivesUnchanged: true,
        description: '技术方案优化',
      },
    });
    expectProblem(adjust, 422, 'CONSTRUCTION_BANNED');
    // nothing was written by the refusals
    const after = await h.request('GET', `/projects/${other.id}?minRevision=${other.revision}`, {
      token: h.token('OFFICE'),
    });
    expect(after.body.revision).toBe(other.revision);
    // the finding cleared: the department builds again
    await command(h, accepted, 'SUPERVISOR', 'record-compliance', GOOD);
    const started = await h.request('POST', `/projects/${building.id}/start-construction`, {
      token: h.token('CONSTRUCTION_UNIT', dept),
      body: { startedOn: '2026-03-02' },
    });
    expect(started.status).toBe(200);
  });

  it('an existing system never assessed is in the office’s and supervisors’ inbox until assessed', async () => {
    const dept = freshDept();
    const systemId = (await inventory(dept)).body.systemId;
    const assess = async (role: string, dept?: string) =>
      (await h.request('GET', '/inbox', { token: h.token(role, dept) })).body.items.filter(
        (i: { kind: string; system?: { systemId: string } }) =>
          i.kind === 'ASSESS_SYSTEM' && i.system?.systemId === systemId,
      );
    for (const role of ['OFFICE', 'SUPERVISOR'])
      expect(await assess(role)).toEqual([
        expect.objectContaining({
          action: `/systems/${systemId}/record-compliance`,
          article: '第二十四条',
          dueOn: null,
        }),
      ]);
    expect(await assess('CONSTRUCTION_UNIT', dept)).toEqual([]);
    expect(await assess('FINANCE')).toEqual([]);
    await recordCompliance(systemId, {});
    expect(await assess('OFFICE')).toEqual([]);
  });

  it('第二十九条 the department record shows the ban beside the projects', async () => {
    const dept = freshDept();
    await readProject(h, await driveTo(h, 'DRAFT_PLAN', { dept }));
    const record = () => h.request('GET', `/departments/${dept}/record`, { token: h.token('OFFICE') });
    expect((await record()).body.constructionBan).toEqual({ banned: false, systems: [] });
    const systemId = await systemWith(dept, { cryptoAssessmentPassed: false });
    expect((await record()).body.constructionBan).toEqual({
      banned: true,
      systems: [
        { kind: 'EXISTING_SYSTEM', id: systemId, name: '教育资源公共服务平台', reasons: ['CRYPTO_NOT_COMPLIANT'] },
      ],
    });
  });

  it('a construction unit sees its own department’s systems only; others 404 or 403', async () => {
    const dept = freshDept();
    const systemId = await systemWith(dept, { majorSecurityHazard: true });
    const stranger = 'D-STRANGER';
    expect(
      (await h.request('GET', `/systems/${systemId}`, { token: h.token('CONSTRUCTION_UNIT', stranger) })).status,
    ).toBe(404);
    const unknown = await h.request('GET', `/systems/${randomUUID()}`, {
      token: h.token('CONSTRUCTION_UNIT', stranger),
    });
    expect(unknown.status).toBe(404);
    expect((await systems('CONSTRUCTION_UNIT', stranger)).body.items).toEqual([]);
    expect((await systems('CONSTRUCTION_UNIT', stranger, `?department=${dept}`)).status).toBe(403);
    const all = await systems('AUDIT', undefined, `?department=${dept}`);
    expect(all.body).toMatchObject({ total: 1, banned: 1 });
    // a stranger's registration is never refused with another department's systems
    const spoof = await register(stranger, { departmentCode: dept });
    expectProblem(spoof, 403, 'DEPARTMENT_MISMATCH');
    expect(spoof.body.systems).toBeUndefined();
  });

  it('bad input is a 400 naming every field; only the roles of 第二十四条 write', async () => {
    const bad = await h.request('POST', '/systems', {
      token: h.token('CONSTRUCTION_UNIT', freshDept()),
      body: { name: '  ', inCatalogue: 'yes', description: '' },
    });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(invalidFields(bad).sort()).toEqual(['description', 'inCatalogue', 'name']);
    expect(
      (
        await h.request('POST', '/systems', {
          token: h.token('OFFICE'),
          body: { name: 'x', inCatalogue: true, description: 'y' },
        })
      ).status,
    ).toBe(403);
    const systemId = (await inventory(freshDept())).body.systemId;
    expect((await recordCompliance(systemId, {}, 'CONSTRUCTION_UNIT')).status).toBe(403);
    expect((await recordCompliance(systemId, {}, 'OFFICE')).status).toBe(200);
    expectProblem(await recordCompliance(randomUUID(), {}), 404, 'SYSTEM_NOT_FOUND', '第二十四条');
    const again = await h.request('POST', '/systems', {
      token: h.token('CONSTRUCTION_UNIT', 'D-X'),
      body: { systemId, name: 'x', inCatalogue: true, description: 'y' },
    });
    expectProblem(again, 409, 'SYSTEM_EXISTS');
  });
});
