import { createHash, randomBytes } from 'node:crypto';
import type { DocumentStore } from '../../src/document-store/document-store.port';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What every DocumentStore adapter promises (document-store.port.ts), run against each. */
export function documentStoreContract(name: string, open: () => Promise<DocumentStore>, cleanUp?: () => Promise<void>) {
  describe(`DocumentStore contract: ${name}`, () => {
    let store: DocumentStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
      await cleanUp?.();
    });

    test('put answers the SHA-256 and size of the bytes; get gives the same bytes back', async () => {
      const bytes = Buffer.from('%PDF-1.4\n鄂尔多斯市数据共享交换平台 项目建议书\n%%EOF\n');
      const stored = await store.put(bytes);
      expect(stored).toEqual({ sha256: sha256(bytes), size: bytes.length });
      expect(await store.get(stored.sha256)).toEqual(bytes);
    });

    test('the same bytes twice are one file under one name; other bytes another', async () => {
      const bytes = randomBytes(1000);
      const first = await store.put(bytes);
      const second = await store.put(Buffer.from(bytes));
      expect(second).toEqual(first);
      const other = await store.put(randomBytes(1000));
      expect(other.sha256).not.toBe(first.sha256);
      expect(await store.get(first.sha256)).toEqual(bytes);
    });

    test('a digest never stored, or not a digest at all, is null', async () => {
      expect(await store.get(sha256(randomBytes(16)))).toBeNull();
      expect(await store.get('../../etc/passwd')).toBeNull();
      expect(await store.get('ABC')).toBeNull();
    });

    test('a file larger than one storage chunk (GridFS: 255 KiB) comes back whole', async () => {
      const bytes = randomBytes(700 * 1024);
      const stored = await store.put(bytes);
      const read = await store.get(stored.sha256);
      expect(read && sha256(read)).toBe(stored.sha256);
    });

    test('concurrent puts of the same bytes all succeed and leave one readable file', async () => {
      const bytes = randomBytes(64 * 1024);
      const results = await Promise.all(Array.from({ length: 5 }, () => store.put(bytes)));
      expect(new Set(results.map((r) => r.sha256)).size).toBe(1);
      expect(await store.get(results[0].sha256)).toEqual(bytes);
    });
  });
}
