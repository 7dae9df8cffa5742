import { Workbook, type Worksheet } from 'exceljs';
import { startHarness, type Harness } from '../support/harness';
import { command, driveTo, ESTIMATE_FEN, expectProblem, orderRectification, readProject } from '../support/fixtures';

/**
 * Issue 14 item 7: lists, deadlines, the audit log and a project's file (项目档案) as Excel. Each
 * file is opened with exceljs's reader and checked against the JSON endpoints it mirrors.
 */

/** The file's bytes as exceljs's reader types them (an ArrayBuffer). */
const bytes = (raw: Buffer): ArrayBuffer => new Uint8Array(raw).buffer;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('Excel exports (.xlsx)', () => {
  let h: Harness;
  const A = 'XA01';
  const B = 'XB02';
  let own: { id: string; dept: string; revision: number };
  let other: { id: string; dept: string; revision: number };
  let overdueProject: { id: string; dept: string; revision: number };

  /** GET as raw bytes (h.request decodes bodies as text). */
  async function download(url: string, token: string) {
    const response = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const type = String(response.headers['content-type'] ?? '');
    return {
      status: response.statusCode,
      headers: response.headers as Record<string, unknown>,
      raw: response.rawPayload,
      body: type.includes('json') ? JSON.parse(response.body) : response.body,
    };
  }

  async function workbook(url: string, token: string): Promise<Workbook> {
    const answer = await download(url, token);
    expect({ status: answer.status, type: answer.headers['content-type'] }).toEqual({ status: 200, type: XLSX });
    const book = new Workbook();
    await book.xlsx.load(bytes(answer.raw));
    return book;
  }

  /** The data rows of a sheet (below the header), as arrays of cell values. */
  function rows(sheet: Worksheet): unknown[][] {
    const out: unknown[][] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) out.push((row.values as unknown[]).slice(1));
    });
    return out;
  }
  const headers = (sheet: Worksheet) => (sheet.getRow(1).values as unknown[]).slice(1);
  const column = (sheet: Worksheet, header: string) => headers(sheet).indexOf(header);

  beforeAll(async () => {
    h = await startHarness();
    own = await driveTo(h, 'DESIGN_SUBMITTED', { dept: A, overrides: { name: '伊金霍洛旗政务数据共享平台' } });
    await driveTo(h, 'DRAFT_PLAN', { dept: A, overrides: { name: '东胜区智慧城管系统', estimateFen: 123_456_789 } });
    other = await driveTo(h, 'PROPOSAL_SUBMITTED', { dept: B, overrides: { name: '准格尔旗应急指挥平台' } });
    overdueProject = await driveTo(h, 'DRAFT_PLAN', { dept: B, overrides: { name: '达拉特旗不动产登记系统' } });
    await orderRectification(h, overdueProject, 1);
    // A rectification due in 40 days stays open and not overdue.
    await command(h, own, 'OFFICE', 'order-rectification', {
      rectificationId: '6f0c3c57-4a8f-4c39-9d36-2f5a3e7a9b10',
      findings: ['未按要求共享数据'],
      deadline: '2026-04-11',
      article: '第二十四条',
    });
    await readProject(h, own);
    await readProject(h, overdueProject);
    // Three days on: the first rectification (due 2026-03-03) is overdue.
    h.clock.set(new Date('2026-03-05T02:00:00.000Z'));
  });

  afterAll(async () => {
    await h.close();
  });

  describe('GET /projects/export.xlsx', () => {
    it('holds every project GET /projects lists, with Chinese headers, 万元 and Beijing time', async () => {
      const token = h.token('OFFICE');
      const json = await h.request('GET', '/projects?pageSize=2&sort=name', { token });
      expect(json.body.total).toBe(4);
      const answer = await download('/projects/export.xlsx?sort=name', token);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe(XLSX);
      const disposition = String(answer.headers['content-disposition']);
      expect(disposition).toBe(
        'attachment; filename="ordos-projects-2026-03-05.xlsx"; ' +
          `filename*=UTF-8''${encodeURIComponent('项目清单-2026-03-05.xlsx')}`,
      );
      const book = new Workbook();
      await book.xlsx.load(bytes(answer.raw));
      const sheet = book.getWorksheet('项目清单')!;
      expect(headers(sheet)).toEqual([
        '项目名称',
        '项目标识',
        '项目类别',
        '建设单位（部门）',
        '计划年度',
        '状态',
        '估算（万元）',
        '批复概算（万元）',
        '调整后总投资（万元）',
        '逾期',
        '逾期事项',
        '未完成整改（项）',
        '立项时间（北京时间）',
        '最近更新（北京时间）',
        '政策版本',
        '政策已失效（第三十三条）',
      ]);
      const data = rows(sheet);
      // Every page, not one: the JSON list holds 2 per page here, the export all 4, in the list's order.
      expect(data).toHaveLength(json.body.total);
      const all = await h.request('GET', '/projects?pageSize=200&sort=name', { token });
      expect(data.map((r) => r[1])).toEqual(all.body.items.map((p: { projectId: string }) => p.projectId));

      const row = data.find((r) => r[0] === '东胜区智慧城管系统')!;
      expect(row[column(sheet, '估算（万元）')]).toBeCloseTo(123.456789, 9);
      const estimateCell = sheet.getRow(data.indexOf(row) + 2).getCell(column(sheet, '估算（万元）') + 1);
      expect(estimateCell.numFmt).toBe('#,##0.00');
      expect(row[column(sheet, '状态')]).toBe('项目计划');
      expect(row[column(sheet, '项目类别')]).toBe('软件开发及购买');
      expect(row[column(sheet, '立项时间（北京时间）')]).toBe('2026-03-02 10:00');
      expect(row[column(sheet, '政策已失效（第三十三条）')]).toBe('是');
      const design = data.find((r) => r[0] === '伊金霍洛旗政务数据共享平台')!;
      expect(design[column(sheet, '状态')]).toBe('初步设计');
      expect(design[column(sheet, '未完成整改（项）')]).toBe(1);
      // 逾期 as the read model has it (the deadline watcher marks it): the same as the JSON row.
      const late = data.find((r) => r[0] === '达拉特旗不动产登记系统')!;
      const lateJson = all.body.items.find((p: { name: string }) => p.name === '达拉特旗不动产登记系统');
      expect(late[column(sheet, '逾期')]).toBe(lateJson.overdue ? '是' : '否');

      // A frozen header row, widths and an autofilter over the table.
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.getColumn(1).width).toBe(36);
      expect(sheet.autoFilter).toBe('A1:P5');
    });

    it('takes the list filters: the same projects as GET /projects with them', async () => {
      const token = h.token('OFFICE');
      const json = await h.request('GET', `/projects?status=DRAFT_PLAN&department=${B}`, { token });
      const sheet = (await workbook(`/projects/export.xlsx?status=DRAFT_PLAN&department=${B}`, token)).getWorksheet(
        '项目清单',
      )!;
      expect(rows(sheet).map((r) => r[1])).toEqual(json.body.items.map((p: { projectId: string }) => p.projectId));
      expect(rows(sheet).map((r) => r[0])).toEqual(['达拉特旗不动产登记系统']);
    });

    it("a construction unit's export holds its own department's projects only", async () => {
      const token = h.token('CONSTRUCTION_UNIT', A);
      const json = await h.request('GET', '/projects', { token });
      const data = rows((await workbook('/projects/export.xlsx', token)).getWorksheet('项目清单')!);
      expect(data).toHaveLength(json.body.total);
      expect(data).toHaveLength(2);
      expect(new Set(data.map((r) => r[3]))).toEqual(new Set([A]));
      // Naming another department is refused as for the list (第三条).
      expectProblem(await download(`/projects/export.xlsx?department=${B}`, token), 403, 'FORBIDDEN', '第三条');
    });

    it('refuses bad filters and paging parameters with every bad field named', async () => {
      const answer = await download('/projects/export.xlsx?status=NOPE&page=2', h.token('OFFICE'));
      expectProblem(answer, 400, 'VALIDATION_FAILED');
      expect(answer.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['page', 'status']);
    });

    it('is not taken for a project id', async () => {
      // /projects/:id with a non-UUID is a 400; the export path is its own route.
      const token = h.token('OFFICE');
      expect((await download('/projects/export.xlsx', token)).status).toBe(200);
      expectProblem(await download('/projects/export.xlsy', token), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /deadlines/export.xlsx', () => {
    it('holds every deadline GET /deadlines lists, overdue ones marked and highlighted', async () => {
      const token = h.token('OFFICE');
      const json = await h.request('GET', '/deadlines?pageSize=200', { token });
      const sheet = (await workbook('/deadlines/export.xlsx', token)).getWorksheet('期限与逾期')!;
      expect(headers(sheet).slice(0, 8)).toEqual([
        '项目名称',
        '项目标识',
        '建设单位（部门）',
        '事项',
        '依据条款',
        '到期日',
        '剩余天数',
        '已逾期',
      ]);
      const data = rows(sheet);
      expect(data).toHaveLength(json.body.items.length);
      expect(data.length).toBeGreaterThanOrEqual(2);
      const late = data.findIndex((r) => r[0] === '达拉特旗不动产登记系统');
      expect(data[late].slice(3, 8)).toEqual(['限期整改', '第二十七条', '2026-03-03', -2, '是']);
      expect(sheet.getRow(late + 2).fill).toMatchObject({ type: 'pattern', fgColor: { argb: 'FFFDE2E1' } });
      const coming = data.findIndex((r) => r[0] === '伊金霍洛旗政务数据共享平台');
      expect(data[coming].slice(5, 8)).toEqual(['2026-04-11', 37, '否']);
      expect(sheet.getRow(coming + 2).fill).toBeUndefined();
    });

    it('is scoped like GET /deadlines for a construction unit, and takes kind', async () => {
      const token = h.token('CONSTRUCTION_UNIT', B);
      const json = await h.request('GET', '/deadlines?kind=RECTIFICATION', { token });
      const data = rows(
        (await workbook('/deadlines/export.xlsx?kind=RECTIFICATION', token)).getWorksheet('期限与逾期')!,
      );
      expect(data).toHaveLength(json.body.items.length);
      expect(data.map((r) => r[2])).toEqual([B]);
      const undated = await download('/deadlines/export.xlsx?kind=SURPLUS_RETURN', token);
      expect(undated.status).toBe(200);
      expectProblem(await download('/deadlines/export.xlsx?kind=LATE', token), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /audit/export?format=xlsx', () => {
    it('streams the filtered log as one sheet with Chinese labels and Beijing times', async () => {
      const token = h.token('AUDIT');
      const lines = String((await h.request('GET', '/audit/export?format=jsonl', { token })).body)
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; position: string; label: string });
      const answer = await download('/audit/export?format=xlsx', token);
      expect(answer.headers['content-disposition']).toBe(
        'attachment; filename="ordos-events-2026-03-05.xlsx"; ' +
          `filename*=UTF-8''${encodeURIComponent('审计日志-2026-03-05.xlsx')}`,
      );
      const book = new Workbook();
      await book.xlsx.load(bytes(answer.raw));
      const sheet = book.getWorksheet('审计日志')!;
      const data = rows(sheet);
      expect(data).toHaveLength(lines.length);
      expect(data.map((r) => r[0])).toEqual(lines.map((l) => l.position));
      const registered = data.find((r) => r[column(sheet, '事件类型代码')] === 'ProjectRegistered')!;
      expect(registered[column(sheet, '事件')]).toBe(lines.find((l) => l.type === 'ProjectRegistered')!.label);
      expect(registered[column(sheet, '事件')]).toMatch(/[\u4e00-\u9fff]/);
      expect(registered[column(sheet, '发生时间（北京时间）')]).toBe('2026-03-02 10:00');
      expect(registered[column(sheet, '操作人角色')]).toBe('项目建设单位');
      expect(registered[column(sheet, '政策已失效（第三十三条）')]).toBe('是');
      expect(registered[column(sheet, '项目名称')]).toEqual(expect.any(String));
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.autoFilter).toBe(`A1:R${data.length + 1}`);
    });

    it('takes the same filters as the jsonl export', async () => {
      const token = h.token('AUDIT');
      const query = `type=RectificationOrdered&department=${B}`;
      const lines = String((await h.request('GET', `/audit/export?format=jsonl&${query}`, { token })).body)
        .split('\n')
        .filter(Boolean);
      const sheet = (await workbook(`/audit/export?format=xlsx&${query}`, token)).getWorksheet('审计日志')!;
      const data = rows(sheet);
      expect(data).toHaveLength(lines.length);
      expect(data).toHaveLength(1);
      expect(data[0][column(sheet, '事件')]).toBe('已责令限期整改');
      expect(data[0][column(sheet, '项目名称')]).toBe('达拉特旗不动产登记系统');
      expect(data[0][column(sheet, '依据条款')]).toBe('第十二条、第二十七条');
    });

    it('continues after a position, and refuses one the store never issued before the file starts', async () => {
      const token = h.token('AUDIT');
      const lines = String((await h.request('GET', '/audit/export?format=jsonl', { token })).body)
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { position: string });
      const after = lines[2].position;
      const data = rows((await workbook(`/audit/export?format=xlsx&after=${after}`, token)).getWorksheet('审计日志')!);
      expect(data.map((r) => r[0])).toEqual(lines.slice(3).map((l) => l.position));
      // As for jsonl: `after` is named as the bad field, and no file is started.
      const refused = await download('/audit/export?format=xlsx&after=999999999', token);
      expectProblem(refused, 400, 'VALIDATION_FAILED');
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['after']);
      const jsonl = await h.request('GET', '/audit/export?format=jsonl&after=999999999', { token });
      expect({ ...refused.body, instance: undefined }).toEqual({ ...jsonl.body, instance: undefined });
    });

    it('is for the audit bureau only', async () => {
      expectProblem(await download('/audit/export?format=xlsx', h.token('OFFICE')), 403, 'FORBIDDEN');
      expectProblem(await download('/audit/export?format=xlsx', h.token('CONSTRUCTION_UNIT', A)), 403, 'FORBIDDEN');
      expectProblem(await download('/audit/export?format=xls', h.token('AUDIT')), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /projects/:id/archive.xlsx', () => {
    it("holds the project's facts, whole history and obligations", async () => {
      const token = h.token('AUDIT');
      const history = await h.request('GET', `/projects/${own.id}/history`, { token });
      const answer = await download(`/projects/${own.id}/archive.xlsx`, token);
      expect({ status: answer.status, body: answer.status === 200 ? '' : answer.body }).toEqual({
        status: 200,
        body: '',
      });
      expect(String(answer.headers['content-disposition'])).toContain(
        `filename*=UTF-8''${encodeURIComponent('项目档案-伊金霍洛旗政务数据共享平台-2026-03-05.xlsx')}`,
      );
      expect(String(answer.headers['content-disposition'])).toContain(
        `filename="ordos-project-${own.id}-2026-03-05.xlsx"`,
      );
      const book = new Workbook();
      await book.xlsx.load(bytes(answer.raw));
      expect(book.worksheets.map((s) => s.name)).toEqual(['项目概况', '历史记录', '期限与义务']);

      const facts = new Map(rows(book.getWorksheet('项目概况')!).map((r) => [r[0], r[1]]));
      expect(facts.get('项目名称')).toBe('伊金霍洛旗政务数据共享平台');
      expect(facts.get('状态')).toBe('初步设计');
      expect(facts.get('立项估算（万元）')).toBe(ESTIMATE_FEN / 1_000_000);
      expect(facts.get('事件数')).toBe(history.body.events.length);
      expect(facts.get('政策已失效（第三十三条）')).toBe('是');

      const events = book.getWorksheet('历史记录')!;
      const data = rows(events);
      expect(data).toHaveLength(history.body.events.length);
      const byHeader = (r: unknown[], header: string) => r[column(events, header)];
      history.body.events.forEach((e: any, i: number) => {
        expect(byHeader(data[i], '事件')).toBe(e.label);
        expect(byHeader(data[i], '依据条款')).toBe(e.article ?? '');
        expect(byHeader(data[i], '事件内容（原始记录）')).toBe(JSON.stringify(e.data));
        expect(byHeader(data[i], '操作人')).toBe(e.metadata.actor.name);
      });
      expect(byHeader(data[0], '发生时间（北京时间）')).toBe('2026-03-02 10:00');
      expect(byHeader(data[data.length - 1], '操作人角色')).toBe('领导小组办公室');

      const obligations = rows(book.getWorksheet('期限与义务')!);
      expect(obligations.map((r) => r.slice(0, 5))).toEqual([['限期整改', '第二十七条', '2026-04-11', '是', '否']]);
    });

    it("is open to whoever may read the project's history; another department's project is a 404", async () => {
      for (const token of [h.token('OFFICE'), h.token('CONSTRUCTION_UNIT', A)])
        expect((await download(`/projects/${own.id}/archive.xlsx`, token)).status).toBe(200);
      const hidden = await download(`/projects/${other.id}/archive.xlsx`, h.token('CONSTRUCTION_UNIT', A));
      const unknown = await download(
        '/projects/0b4c7a8e-3f1d-4d5e-9a6b-7c8d9e0f1a2b/archive.xlsx',
        h.token('CONSTRUCTION_UNIT', A),
      );
      expectProblem(hidden, 404, 'PROJECT_NOT_FOUND');
      expect({ ...hidden.body, instance: undefined, detail: undefined }).toEqual({
        ...unknown.body,
        instance: undefined,
        detail: undefined,
      });
      expectProblem(
        await download(`/projects/${own.id}/archive.xlsx`, h.token('FINANCE')),
        403,
        'FORBIDDEN',
        '第二十八条',
      );
      expectProblem(await download('/projects/not-a-uuid/archive.xlsx', h.token('AUDIT')), 400, 'VALIDATION_FAILED');
    });
  });
});

describe('Excel exports in the OpenAPI document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('documents each export as a binary .xlsx answer with its errors', async () => {
    const doc = (await h.request('GET', '/docs-json')).body;
    const ops = {
      '/projects/export.xlsx': ['FORBIDDEN', 'VALIDATION_FAILED', 'UNAUTHENTICATED'],
      '/deadlines/export.xlsx': ['FORBIDDEN', 'VALIDATION_FAILED', 'UNAUTHENTICATED'],
      '/projects/{id}/archive.xlsx': ['FORBIDDEN', 'PROJECT_NOT_FOUND', 'VALIDATION_FAILED', 'UNAUTHENTICATED'],
      '/audit/export': ['FORBIDDEN', 'VALIDATION_FAILED', 'INVALID_POSITION', 'UNAUTHENTICATED'],
    };
    for (const [path, codes] of Object.entries(ops)) {
      const op = doc.paths[path].get;
      expect({ path, content: Object.keys(op.responses['200'].content ?? {}) }).toEqual({
        path,
        content: expect.arrayContaining([XLSX]),
      });
      const listed = Object.values(op.responses as Record<string, any>).flatMap((r) =>
        Object.values(r.content?.['application/problem+json']?.examples ?? {}).map(
          (e: any) => (e.$ref ? doc.components.examples[e.$ref.split('/').pop()] : e).value?.code,
        ),
      );
      expect({ path, codes: listed }).toEqual({ path, codes: expect.arrayContaining(codes) });
    }
    expect(doc.paths['/projects/export.xlsx'].get.responses['200'].content[XLSX].schema).toEqual({
      type: 'string',
      format: 'binary',
    });
    const params = doc.paths['/projects/export.xlsx'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['status', 'department', 'q', 'sort']));
    expect(params).not.toContain('page');
  });
});
