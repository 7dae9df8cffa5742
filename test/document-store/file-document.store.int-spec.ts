import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileDocumentStore } from '../../src/document-store/file-document.store';
import { documentStoreContract } from './document-store.contract';

const root = mkdtempSync(join(tmpdir(), 'ordos-documents-'));
documentStoreContract(
  'files under DATA_DIR',
  () => FileDocumentStore.open(root),
  async () => rmSync(root, { recursive: true, force: true }),
);

describe('FileDocumentStore on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordos-documents-layout-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a file lives under its digest only; no temporary file remains; two stores share a directory', async () => {
    const a = await FileDocumentStore.open(dir);
    const b = await FileDocumentStore.open(dir);
    const { sha256 } = await a.put(Buffer.from('%PDF-1.7 shared'));
    expect(readdirSync(join(dir, sha256.slice(0, 2)))).toEqual([sha256]);
    expect(await b.get(sha256)).toEqual(Buffer.from('%PDF-1.7 shared'));
  });

  test('a temporary file left by a crash is never read as the document', async () => {
    const store = await FileDocumentStore.open(dir);
    const { sha256 } = await store.put(Buffer.from('whole'));
    const other = 'f'.repeat(64);
    writeFileSync(join(dir, sha256.slice(0, 2), `.tmp-1-crashed`), 'half');
    mkdirSync(join(dir, 'ff'), { recursive: true });
    writeFileSync(join(dir, 'ff', `.tmp-2-crashed`), 'half');
    expect(await store.get(other)).toBeNull();
    expect(await store.get(sha256)).toEqual(Buffer.from('whole'));
  });

  test('putting the bytes again repairs a file altered on disk', async () => {
    const store = await FileDocumentStore.open(dir);
    const bytes = Buffer.from('%PDF-1.7 original');
    const { sha256 } = await store.put(bytes);
    writeFileSync(join(dir, sha256.slice(0, 2), sha256), 'tampered');
    await store.put(bytes);
    expect(await store.get(sha256)).toEqual(bytes);
  });
});
