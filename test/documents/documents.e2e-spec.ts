import ExcelJS from 'exceljs';
import { createHash, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from '../support/harness';
import {
  ALL_MATERIALS,
  command,
  driveTo,
  expectProblem,
  invalidFields,
  KEY_CONTENT,
  orderRectification,
  type Project,
} from '../support/fixtures';
import { multipart, PDF, PNG, type Part } from '../support/multipart';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('项目文件 documents are files: upload, list, download, and the submission that names one', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { DOCUMENT_MAX_BYTES: String(64 * 1024) } });
  });
  afterAll(async () => {
    await h.close();
  });

  const unit = (p: Project) => h.token('CONSTRUCTION_UNIT', p.dept);
  async function upload(p: Project, parts: Part[], token = unit(p), headers: Record<string, string> = {}) {
    const { payload, contentType } = multipart(parts);
    const response = await h.app.inject({
      method: 'POST',
      url: `/projects/${p.id}/documents`,
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType, ...headers },
      payload,
    });
    const body = response.body ? JSON.parse(response.body) : undefined;
    return { status: response.statusCode, body, headers: response.headers as Record<string, unknown> };
  }
  const file = (filename: string, bytes: Buffer, type = 'application/pdf'): Part => ({
    name: 'file',
    filename,
    bytes,
    type,
  });
  const kind = (value: string): Part => ({ name: 'kind', value });
  const download = (p: Project, documentId: string, token = unit(p)) =>
    h.app.inject({
      method: 'GET',
      url: `/projects/${p.id}/documents/${documentId}`,
      headers: { authorization: `Bearer ${token}` },
    });

  test('upload → 201 with the digest; list shows it; download gives the same bytes, inline, nosniff', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    const answer = await upload(p, [kind('PROPOSAL'), file('项目建议书（2026）.pdf', PDF)]);
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      documentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      kind: 'PROPOSAL',
      name: '项目建议书（2026）.pdf',
      size: PDF.length,
      sha256: sha256(PDF),
      contentType: 'application/pdf',
      uploadedAt: expect.stringMatching(/^2026-03-02T02:00:/),
      events: ['DocumentUploaded'],
    });

    const list = await h.request('GET', `/projects/${p.id}/documents`, { token: h.token('AUDIT') });
    expect(list.status).toBe(200);
    expect(list.body.documents).toEqual([
      expect.objectContaining({
        documentId: answer.body.documentId,
        name: '项目建议书（2026）.pdf',
        sha256: sha256(PDF),
        uploadedBy: expect.objectContaining({ role: 'CONSTRUCTION_UNIT', department: p.dept }),
      }),
    ]);

    const got = await download(p, answer.body.documentId, h.token('OFFICE'));
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PDF)).toBe(true);
    expect(sha256(got.rawPayload)).toBe(answer.body.sha256);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-disposition']).toBe(
      `inline; filename="______2026_.pdf"; filename*=UTF-8''${encodeURIComponent('项目建议书（2026）.pdf')}`,
    );

    // The upload is a fact of the project's stream, with its article and who uploaded which bytes.
    const history = await h.request('GET', `/projects/${p.id}/history`, { token: h.token('AUDIT') });
    const uploaded = history.body.events.find((e: { type: string }) => e.type === 'DocumentUploaded');
    expect(uploaded).toMatchObject({ label: '项目文件已上传', family: '立项', article: '第六条' });
    expect(uploaded.data).toMatchObject({ sha256: sha256(PDF), kind: 'PROPOSAL', size: PDF.length });
  });

  test('an Office file is downloaded as an attachment with its own content type', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('投资概算').addRow(['项目', '金额']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const answer = await upload(p, [kind('PROPOSAL'), file('概算.xlsx', xlsx, 'text/plain')]);
    expect(answer.status).toBe(201);
    expect(answer.body.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const got = await download(p, answer.body.documentId);
    expect(String(got.headers['content-disposition'])).toMatch(/^attachment; /);
    expect(got.rawPayload.equals(xlsx)).toBe(true);

    // The same bytes named .docx: the content decides, and a name claiming another type is refused.
    expectProblem(await upload(p, [kind('PROPOSAL'), file('概算.docx', xlsx)]), 415, 'DOCUMENT_TYPE_MISMATCH');
  });

  test('the submission naming an uploaded document records its facts; a free-text reference as before', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    const doc = (await upload(p, [kind('PROPOSAL'), file('建议书.pdf', PDF)])).body;
    await command(h, p, 'CONSTRUCTION_UNIT', 'submit-proposal', { documentRef: doc.documentId });
    const history = await h.request('GET', `/projects/${p.id}/history`, { token: h.token('AUDIT') });
    const submitted = history.body.events.find((e: { type: string }) => e.type === 'ProposalSubmitted');
    expect(submitted.data).toMatchObject({
      documentRef: doc.documentId,
      document: { documentId: doc.documentId, name: '建议书.pdf', size: PDF.length, sha256: sha256(PDF) },
    });

    const other = await driveTo(h, 'PROPOSAL_SUBMITTED');
    const plain = await h.request('GET', `/projects/${other.id}/history`, { token: h.token('AUDIT') });
    const free = plain.body.events.find((e: { type: string }) => e.type === 'ProposalSubmitted');
    expect(free.data.documentRef).toBe('JY-2026-001');
    expect(free.data).not.toHaveProperty('document');
  });

  test('a document of another kind named by a submission is refused 422', async () => {
    const p = await driveTo(h, 'PROPOSAL_APPROVED');
    const doc = (await upload(p, [kind('PROPOSAL'), file('建议书.pdf', PDF)])).body;
    const response = await h.request('POST', `/projects/${p.id}/submit-feasibility`, {
      token: unit(p),
      body: { documentRef: doc.documentId },
    });
    expectProblem(response, 422, 'DOCUMENT_KIND_MISMATCH', '第三条');
  });

  test('the rectification report names its file: RectificationSubmitted records the digest', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const rectificationId = await orderRectification(h, p);
    const doc = (await upload(p, [kind('RECTIFICATION'), file('整改报告.png', PNG, 'image/png')])).body;
    expect(doc.contentType).toBe('image/png');
    await command(h, p, 'CONSTRUCTION_UNIT', 'submit-rectification', {
      rectificationId,
      report: '已同步建设密码保障系统',
      documentRef: doc.documentId,
    });
    const history = await h.request('GET', `/projects/${p.id}/history`, { token: h.token('AUDIT') });
    const submitted = history.body.events.find((e: { type: string }) => e.type === 'RectificationSubmitted');
    expect(submitted.data.document).toEqual({
      documentId: doc.documentId,
      name: '整改报告.png',
      size: PNG.length,
      sha256: sha256(PNG),
    });
  });

  test('第二十一条 the acceptance report the office uploaded is recorded with the acceptance', async () => {
    const p = await driveTo(h, 'ARCHIVE_PASSED');
    const report = (await upload(p, [kind('ACCEPTANCE'), file('验收报告.pdf', PDF)], h.token('OFFICE'))).body;
    await command(h, p, 'CONSTRUCTION_UNIT', 'record-acceptance', {
      passed: true,
      opinion: '验收通过',
      materials: { ...ALL_MATERIALS, acceptanceReport: report.documentId },
      keyContent: KEY_CONTENT,
    });
    const history = await h.request('GET', `/projects/${p.id}/history`, { token: h.token('AUDIT') });
    const passed = history.body.events.find((e: { type: string }) => e.type === 'AcceptancePassed');
    expect(passed.data.materialDocuments).toEqual({
      acceptanceReport: { documentId: report.documentId, name: '验收报告.pdf', size: PDF.length, sha256: sha256(PDF) },
    });
  });

  test('a file altered in the store is detected: the download refuses 409 DOCUMENT_TAMPERED', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    const bytes = Buffer.concat([PDF, Buffer.from(randomUUID())]);
    const doc = (await upload(p, [kind('PROPOSAL'), file('建议书.pdf', bytes)])).body;
    writeFileSync(join(h.dataDir, 'documents', doc.sha256.slice(0, 2), doc.sha256), Buffer.concat([bytes, bytes]));
    const got = await download(p, doc.documentId);
    expect(got.statusCode).toBe(409);
    expect(JSON.parse(got.body)).toMatchObject({ code: 'DOCUMENT_TAMPERED', recorded: doc.sha256 });
  });

  test('wrong type 415, too large 413, not multipart 415, missing fields 400', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    const exe = Buffer.from('MZ\x90\x00 this program cannot be run in DOS mode');
    expectProblem(await upload(p, [kind('PROPOSAL'), file('建议书.pdf', exe)]), 415, 'DOCUMENT_TYPE_NOT_ALLOWED');
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    expectProblem(
      await upload(p, [kind('PROPOSAL'), file('a.pdf', html, 'application/pdf')]),
      415,
      'DOCUMENT_TYPE_NOT_ALLOWED',
    );
    const big = Buffer.concat([PDF, Buffer.alloc(64 * 1024)]);
    const tooLarge = await upload(p, [kind('PROPOSAL'), file('大.pdf', big)]);
    expectProblem(tooLarge, 413, 'DOCUMENT_TOO_LARGE');
    expect(tooLarge.body.maxBytes).toBe(64 * 1024);

    const json = await h.request('POST', `/projects/${p.id}/documents`, { token: unit(p), body: { kind: 'PROPOSAL' } });
    expectProblem(json, 415, 'MULTIPART_REQUIRED');

    // A JSON route refuses a multipart body as before the plugin was registered.
    const { payload, contentType } = multipart([{ name: 'documentRef', value: 'JY-1' }]);
    const misrouted = await h.request('POST', `/projects/${p.id}/submit-proposal`, {
      token: unit(p),
      body: payload,
      headers: { 'content-type': contentType },
    });
    expectProblem(misrouted, 415, 'UNSUPPORTED_MEDIA_TYPE');

    const none = await upload(p, [kind('CONTRACT')]);
    expect(none.status).toBe(400);
    expect(invalidFields(none).sort()).toEqual(['file', 'kind']);
    const empty = await upload(p, [kind('PROPOSAL'), file('空.pdf', Buffer.alloc(0))]);
    expect(invalidFields(empty)).toEqual(['file']);
    const two = await upload(p, [kind('PROPOSAL'), file('a.pdf', PDF), file('b.pdf', PDF)]);
    expect(two.status).toBe(400);
    expect(invalidFields(two)).toEqual(['file']);
    // Nothing was recorded by any refused upload.
    const list = await h.request('GET', `/projects/${p.id}/documents`, { token: unit(p) });
    expect(list.body.documents).toEqual([]);
  });

  test('path-traversal and control characters leave only a clean name, never a path', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    const traversal = await upload(p, [kind('PROPOSAL'), file('../../../etc/passwd.pdf', PDF)]);
    expect(traversal.status).toBe(201);
    expect(traversal.body.name).toBe('passwd.pdf');
    const windows = await upload(p, [kind('PROPOSAL'), file('C:\\\\Users\\\\张三\\\\建议书.pdf', PDF)]);
    expect(windows.body.name).toBe('建议书.pdf');
    const bidi = await upload(p, [kind('PROPOSAL'), file('report\u202efdp.exe.pdf', PDF)]);
    expect(bidi.body.name).toBe('reportfdp.exe.pdf');
    // NFC: a decomposed é arrives composed.
    const decomposed = await upload(p, [kind('PROPOSAL'), file('re\u0301sume\u0301.pdf', PDF)]);
    expect(decomposed.body.name).toBe('r\u00e9sum\u00e9.pdf');
    const long = await upload(p, [kind('PROPOSAL'), file(`${'长'.repeat(300)}.pdf`, PDF)]);
    expect([...long.body.name].length).toBe(200);
    expect(long.body.name.endsWith('.pdf')).toBe(true);
    const dots = await upload(p, [kind('PROPOSAL'), file('..', PDF)]);
    expect(dots.status).toBe(400);
  });

  test("another department's project is unknown (404); roles that do not upload are 403", async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    const doc = (await upload(p, [kind('PROPOSAL'), file('建议书.pdf', PDF)])).body;
    const stranger = h.token('CONSTRUCTION_UNIT', 'D-OTHER');
    expectProblem(await upload(p, [kind('PROPOSAL'), file('a.pdf', PDF)], stranger), 404, 'PROJECT_NOT_FOUND');
    const list = await h.request('GET', `/projects/${p.id}/documents`, { token: stranger });
    expectProblem(list, 404, 'PROJECT_NOT_FOUND');
    const got = await download(p, doc.documentId, stranger);
    expect(got.statusCode).toBe(404);
    expect(JSON.parse(got.body).code).toBe('PROJECT_NOT_FOUND');

    for (const role of ['FINANCE', 'AUDIT', 'SUPERVISOR', 'LEADING_GROUP', 'GOVERNMENT']) {
      expectProblem(await upload(p, [kind('ACCEPTANCE'), file('a.pdf', PDF)], h.token(role)), 403, 'ROLE_NOT_ALLOWED');
    }
    // The office files acceptance papers, not the construction unit's submissions.
    const office = h.token('OFFICE');
    expectProblem(await upload(p, [kind('PROPOSAL'), file('a.pdf', PDF)], office), 403, 'DOCUMENT_KIND_NOT_ALLOWED');
    expect((await upload(p, [kind('ACCEPTANCE'), file('验收意见.pdf', PDF)], office)).status).toBe(201);

    const unknown = await download(p, randomUUID());
    expect(unknown.statusCode).toBe(404);
    expect(JSON.parse(unknown.body).code).toBe('DOCUMENT_NOT_FOUND');
  });

  test('an Idempotency-Key retry answers the same document, recorded once', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    const parts = [kind('PROPOSAL'), file('建议书.pdf', PDF)];
    const first = await upload(p, parts, unit(p), { 'idempotency-key': 'upload-1' });
    const again = await upload(p, parts, unit(p), { 'idempotency-key': 'upload-1' });
    expect(first.status).toBe(201);
    expect(again.body.documentId).toBe(first.body.documentId);
    const list = await h.request('GET', `/projects/${p.id}/documents`, { token: unit(p) });
    expect(list.body.documents).toHaveLength(1);
  });
});

describe('项目文件 size: DOCUMENT_MAX_BYTES, not BODY_LIMIT_BYTES, bounds an upload', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { DOCUMENT_MAX_BYTES: String(2 * 1024 * 1024), BODY_LIMIT_BYTES: '1024' } });
  });
  afterAll(async () => {
    await h.close();
  });

  test('a 1.5 MB file passes a 1 KB JSON body limit and comes back byte for byte', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    const bytes = Buffer.concat([PDF, Buffer.alloc(1536 * 1024, 7)]);
    const { payload, contentType } = multipart([
      { name: 'kind', value: 'FEASIBILITY' },
      { name: 'file', filename: '可研报告.pdf', bytes },
    ]);
    const token = h.token('CONSTRUCTION_UNIT', p.dept);
    const answer = await h.request('POST', `/projects/${p.id}/documents`, {
      token,
      body: payload,
      headers: { 'content-type': contentType },
    });
    expect(answer.status).toBe(201);
    const got = await h.app.inject({
      method: 'GET',
      url: `/projects/${p.id}/documents/${answer.body.documentId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(sha256(got.rawPayload)).toBe(sha256(bytes));
    // JSON routes keep their own limit.
    const json = await h.request('POST', `/projects/${p.id}/submit-proposal`, {
      token,
      body: { documentRef: 'x'.repeat(2000) },
    });
    expect(json.status).toBe(413);
  });
});
