/**
 * 第七条 cross-department frameworks over HTTP: filed by the lead, confirmed by every participant,
 * acknowledged by the office, named by each department's registration; hidden from departments
 * it does not list.
 */
import { randomUUID } from 'node:crypto';
import { registration, startHarness, type Harness } from '../support/harness';
import { acknowledgedFramework, expectProblem, frameworkBody } from '../support/fixtures';

const LEAD = 'FW-LEAD';
const A = 'FW-A';
const B = 'FW-B';
const STRANGER = 'FW-ELSE';

describe('第七条 cross-department frameworks', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const cu = (department: string) => h.token('CONSTRUCTION_UNIT', department);
  const file = (body: Record<string, unknown>, department = LEAD) =>
    h.request('POST', '/frameworks', { token: cu(department), body });
  const confirm = (id: string, department: string, body: Record<string, unknown> = {}) =>
    h.request('POST', `/frameworks/${id}/confirm`, { token: cu(department), body });
  const acknowledge = (id: string) =>
    h.request('POST', `/frameworks/${id}/acknowledge`, { token: h.token('OFFICE'), body: { opinion: '已受理' } });

  /** The read model once it shows at least `revision`. */
  async function read(id: string, revision: number, token = h.token('AUDIT')) {
    for (let i = 0; i < 200; i++) {
      const answer = await h.request('GET', `/frameworks/${id}`, { token });
      if (answer.status === 200 && answer.body.revision >= revision) return answer.body;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`framework ${id} never reached revision ${revision}`);
  }

  it('file → each participant confirms → the office acknowledges → a part is registered (201)', async () => {
    const body = frameworkBody([A, B], {
      contentByDepartment: { [LEAD]: ['统筹平台'], [A]: ['人口库'], [B]: ['法人库'] },
    });
    const filed = await file(body);
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ frameworkId: body.frameworkId, revision: 0, events: ['FrameworkFiled'] });

    const early = await acknowledge(body.frameworkId);
    expectProblem(early, 422, 'FRAMEWORK_NOT_CONFIRMED', '第七条');
    expect(early.body.awaitingConfirmation).toEqual([A, B]);

    const first = await confirm(body.frameworkId, A, { opinion: '同意' });
    expect(first.status).toBe(200);
    expect(first.body.events).toEqual(['FrameworkConfirmed']);
    expectProblem(await acknowledge(body.frameworkId), 422, 'FRAMEWORK_NOT_CONFIRMED', '第七条');
    expect((await confirm(body.frameworkId, B)).status).toBe(200);

    const acknowledged = await acknowledge(body.frameworkId);
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ revision: 3, events: ['FrameworkAcknowledged'] });

    const doc = await read(body.frameworkId, 3);
    expect(doc).toMatchObject({
      frameworkId: body.frameworkId,
      leadDepartment: LEAD,
      participants: [A, B],
      contentByDepartment: body.contentByDepartment,
      dataCatalogue: body.dataCatalogue,
      awaitingConfirmation: [],
      confirmed: true,
      acknowledged: true,
      acknowledgement: { opinion: '已受理', acknowledgedBy: expect.objectContaining({ role: 'OFFICE' }) },
      revision: 3,
      policy: { id: 'ordos-2020', lapsed: true }, // 第三十三条: 2026 is after the measures lapsed
    });
    expect(doc.confirmations).toEqual([
      expect.objectContaining({ department: A, opinion: '同意', confirmedOn: '2026-03-02' }),
      expect.objectContaining({
        department: B,
        opinion: null,
        confirmedBy: expect.objectContaining({ department: B }),
      }),
    ]);
    expect(doc.state).toBeUndefined();

    const part = registration(A, { crossDepartment: { frameworkId: body.frameworkId } });
    const registered = await h.request('POST', '/projects', { token: cu(A), body: part });
    expect(registered.status).toBe(201);
    const project = await h.request('GET', `/projects/${part.projectId}?minRevision=0`, { token: cu(B) });
    expect(project.status).toBe(200);
    expect(project.body.crossDepartment).toEqual({
      leadDepartment: LEAD,
      participants: [A, B],
      frameworkId: body.frameworkId,
    });
    // The lead applies for its own part under the same framework too, stating the framework's departments.
    const leadPart = registration(LEAD, {
      crossDepartment: { frameworkId: body.frameworkId, leadDepartment: LEAD, participants: [B, A] },
    });
    expect((await h.request('POST', '/projects', { token: cu(LEAD), body: leadPart })).status).toBe(201);
    const wrongLead = registration(B, { crossDepartment: { frameworkId: body.frameworkId, leadDepartment: A } });
    expectProblem(
      await h.request('POST', '/projects', { token: cu(B), body: wrongLead }),
      422,
      'CROSS_DEPARTMENT_INVALID',
      '第七条',
    );

    // The department filter of the audit log finds a framework's events under each department it lists.
    await read(body.frameworkId, 3);
    const ofB = await h.request('GET', `/audit/events?family=立项&department=${B}&limit=100`, {
      token: h.token('AUDIT'),
    });
    const streams = ofB.body.items.filter((e: { streamId: string }) => e.streamId === `framework-${body.frameworkId}`);
    expect(streams.map((e: { type: string }) => e.type)).toEqual([
      'FrameworkFiled',
      'FrameworkConfirmed',
      'FrameworkConfirmed',
      'FrameworkAcknowledged',
    ]);
    const history = await h.request('GET', `/audit/events?type=FrameworkConfirmed&limit=10`, {
      token: h.token('AUDIT'),
    });
    expect(history.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'FrameworkConfirmed',
          label: '参建部门已确认框架方案',
          family: '立项',
          article: '第七条',
        }),
      ]),
    );
  });

  it('no item under two departments (422 CONTENT_ITEM_CLAIMED_TWICE, whitespace normalised)', async () => {
    const body = frameworkBody([A, B], {
      contentByDepartment: { [A]: ['统一身份认证'], [B]: [' 统一身份认证\u3000'] },
    });
    const claimed = await file(body);
    expectProblem(claimed, 422, 'CONTENT_ITEM_CLAIMED_TWICE', '第七条');
    expect(claimed.body).toMatchObject({ item: ' 统一身份认证\u3000', claimedAs: '统一身份认证', departments: [A, B] });
    const fine = await file({ ...body, contentByDepartment: { [A]: ['统一身份认证'], [B]: ['统一电子证照'] } });
    expect(fine.status).toBe(201);
  });

  it('the framework plan names participants besides the lead and content per participant', async () => {
    expectProblem(await file(frameworkBody([LEAD])), 422, 'FRAMEWORK_PARTICIPANTS_INVALID', '第七条');
    expectProblem(await file(frameworkBody([A, A])), 422, 'FRAMEWORK_PARTICIPANTS_INVALID', '第七条');
    const unknown = frameworkBody([A], { contentByDepartment: { [A]: ['x'], [STRANGER]: ['y'] } });
    expectProblem(await file(unknown), 422, 'FRAMEWORK_CONTENT_DEPARTMENT_UNKNOWN', '第七条');
    const missing = frameworkBody([A, B], { contentByDepartment: { [A]: ['x'] } });
    expectProblem(await file(missing), 422, 'FRAMEWORK_CONTENT_MISSING', '第七条');
    const blank = await file(
      frameworkBody([A], { objectives: '\u200b ', dataCatalogue: [], contentByDepartment: { [A]: [' '] } }),
    );
    expectProblem(blank, 400, 'VALIDATION_FAILED');
    expect(blank.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'contentByDepartment',
      'dataCatalogue',
      'objectives',
    ]);
    expectProblem(
      await h.request('POST', '/frameworks', { token: h.token('OFFICE'), body: frameworkBody([A]) }),
      403,
      'ROLE_NOT_ALLOWED',
    );
  });

  it('confirmation: a participant once (409 after), never the lead; an unlisted department: 404', async () => {
    const body = frameworkBody([A]);
    expect((await file(body)).status).toBe(201);
    const stranger = await confirm(body.frameworkId, STRANGER);
    const unknownId = randomUUID();
    const unknown = await confirm(unknownId, STRANGER);
    expectProblem(stranger, 404, 'FRAMEWORK_NOT_FOUND', '第七条');
    expect({ ...stranger.body, instance: undefined, frameworkId: undefined, detail: undefined }).toEqual({
      ...unknown.body,
      instance: undefined,
      frameworkId: undefined,
      detail: undefined,
    });
    // Before validation too: a malformed body from a stranger is still not found.
    expectProblem(await confirm(body.frameworkId, STRANGER, { opinion: 42 }), 404, 'FRAMEWORK_NOT_FOUND');
    expectProblem(await confirm(body.frameworkId, LEAD), 422, 'FRAMEWORK_LEAD_CONFIRMS', '第七条');
    expect((await confirm(body.frameworkId, A)).status).toBe(200);
    expectProblem(await confirm(body.frameworkId, A), 409, 'FRAMEWORK_ALREADY_CONFIRMED', '第七条');
    expect((await acknowledge(body.frameworkId)).status).toBe(200);
    expectProblem(await acknowledge(body.frameworkId), 409, 'FRAMEWORK_ALREADY_ACKNOWLEDGED', '第七条');
  });

  it('an Idempotency-Key replays the first answer and appends nothing', async () => {
    const { frameworkId: _given, ...body } = frameworkBody([A]);
    const headers = { 'idempotency-key': `fw-${randomUUID()}` };
    const first = await h.request('POST', '/frameworks', { token: cu(LEAD), body, headers });
    const again = await h.request('POST', '/frameworks', { token: cu(LEAD), body, headers });
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = await h.request('POST', '/frameworks', {
      token: cu(LEAD),
      body: { ...body, name: '另一方案' },
      headers,
    });
    expectProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED');
    const key = { 'idempotency-key': `fw-c-${randomUUID()}` };
    const c1 = await h.request('POST', `/frameworks/${first.body.frameworkId}/confirm`, {
      token: cu(A),
      body: {},
      headers: key,
    });
    const c2 = await h.request('POST', `/frameworks/${first.body.frameworkId}/confirm`, {
      token: cu(A),
      body: {},
      headers: key,
    });
    expect(c1.status).toBe(200);
    expect(c2.body).toEqual(c1.body);
    expect((await read(first.body.frameworkId, 1)).revision).toBe(1);
  });

  it('registration names an acknowledged framework listing the department (422: unknown = not listing)', async () => {
    const pending = frameworkBody([A]);
    expect((await file(pending)).status).toBe(201);
    const notYet = registration(A, { crossDepartment: { frameworkId: pending.frameworkId } });
    expectProblem(
      await h.request('POST', '/projects', { token: cu(A), body: notYet }),
      422,
      'FRAMEWORK_NOT_ACKNOWLEDGED',
      '第七条',
    );

    const acknowledged = await acknowledgedFramework(h, LEAD, [A]);
    const notListing = await h.request('POST', '/projects', {
      token: cu(STRANGER),
      body: registration(STRANGER, { crossDepartment: { frameworkId: acknowledged } }),
    });
    const unknownId = randomUUID();
    const unknown = await h.request('POST', '/projects', {
      token: cu(STRANGER),
      body: registration(STRANGER, { crossDepartment: { frameworkId: unknownId } }),
    });
    expectProblem(notListing, 422, 'FRAMEWORK_NOT_ON_FILE', '第七条');
    expectProblem(unknown, 422, 'FRAMEWORK_NOT_ON_FILE', '第七条');
    const strip = (body: any) => ({ ...body, instance: undefined, frameworkId: undefined, detail: undefined });
    expect(strip(notListing.body)).toEqual(strip(unknown.body));
    // The old free reference is no longer taken.
    const old = registration(A, {
      crossDepartment: { leadDepartment: LEAD, participants: [A], frameworkPlanRef: 'KJ-1' },
    });
    expectProblem(await h.request('POST', '/projects', { token: cu(A), body: old }), 400, 'VALIDATION_FAILED');
  });

  it('GET /frameworks/:id and GET /frameworks: listed departments and other roles read; a stranger: 404', async () => {
    const id = await acknowledgedFramework(h, LEAD, [B]);
    await read(id, 2);
    for (const token of [
      cu(LEAD),
      cu(B),
      ...['OFFICE', 'AUDIT', 'SUPERVISOR', 'FINANCE', 'LEADING_GROUP', 'GOVERNMENT'].map((r) => h.token(r)),
    ]) {
      expect((await h.request('GET', `/frameworks/${id}`, { token })).status).toBe(200);
    }
    const hidden = await h.request('GET', `/frameworks/${id}`, { token: cu(STRANGER) });
    const unknown = await h.request('GET', `/frameworks/${randomUUID()}`, { token: cu(STRANGER) });
    expectProblem(hidden, 404, 'FRAMEWORK_NOT_FOUND');
    expect({ ...hidden.body, instance: undefined, detail: undefined }).toEqual({
      ...unknown.body,
      instance: undefined,
      detail: undefined,
    });

    const mine = await h.request('GET', '/frameworks', { token: cu(B) });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((f: { frameworkId: string }) => f.frameworkId)).toContain(id);
    const strangers = await h.request('GET', '/frameworks', { token: cu(STRANGER) });
    expect(strangers.body.items.map((f: { frameworkId: string }) => f.frameworkId)).not.toContain(id);
    expectProblem(await h.request('GET', `/frameworks?department=${B}`, { token: cu(STRANGER) }), 403, 'FORBIDDEN');
    const byOffice = await h.request('GET', `/frameworks?department=${B}`, { token: h.token('OFFICE') });
    expect(
      byOffice.body.items.every((f: { participants: string[]; leadDepartment: string }) =>
        [f.leadDepartment, ...f.participants].includes(B),
      ),
    ).toBe(true);
    expect(byOffice.body.items.map((f: { frameworkId: string }) => f.frameworkId)).toContain(id);
  });
  it('the inbox asks each participant to confirm, then the office to acknowledge (第七条)', async () => {
    const C = 'FW-IN-A';
    const D = 'FW-IN-B';
    const body = frameworkBody([C, D]);
    expect((await file(body)).status).toBe(201);
    const waiting = async (token: string, kind: string) => {
      for (let i = 0; i < 200; i++) {
        const inbox = await h.request('GET', '/inbox', { token });
        const items = inbox.body.items.filter(
          (x: { kind: string; framework?: { frameworkId: string } }) =>
            x.kind === kind && x.framework?.frameworkId === body.frameworkId,
        );
        if (items.length > 0) return items;
        await new Promise((r) => setTimeout(r, 10));
      }
      return [];
    };
    expect(await waiting(cu(C), 'CONFIRM_FRAMEWORK')).toEqual([
      expect.objectContaining({ action: `/frameworks/${body.frameworkId}/confirm`, article: '第七条', dueOn: null }),
    ]);
    const none = async (token: string) =>
      (await h.request('GET', '/inbox', { token })).body.items.filter(
        (x: { framework?: { frameworkId: string } }) => x.framework?.frameworkId === body.frameworkId,
      );
    expect(await none(cu(STRANGER))).toEqual([]);
    expect(await none(cu(LEAD))).toEqual([]);
    expect(await none(h.token('OFFICE'))).toEqual([]);
    expect((await confirm(body.frameworkId, C)).status).toBe(200);
    expect((await confirm(body.frameworkId, D)).status).toBe(200);
    expect(await waiting(h.token('OFFICE'), 'ACKNOWLEDGE_FRAMEWORK')).toHaveLength(1);
    expect((await acknowledge(body.frameworkId)).status).toBe(200);
    await read(body.frameworkId, 3);
    expect(await none(h.token('OFFICE'))).toEqual([]);
  });
});
