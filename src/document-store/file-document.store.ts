import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SHA256_HEX, type DocumentStore, type StoredBlob } from './document-store.port';

/**
 * Files under `<DATA_DIR>/documents/<first two hex digits>/<sha256>`. Each put writes a temporary
 * file in the same directory (a name no reader looks up), flushes it to disk, then renames it to
 * its digest: rename is atomic within a file system, so a reader sees the whole file or none, and
 * a crash leaves at most a `.tmp-…` file behind. Processes sharing the directory write identical
 * bytes under one name, so whichever rename comes last changes nothing; a put over a file whose
 * bytes were altered on disk replaces them with the right ones.
 */
export class FileDocumentStore implements DocumentStore {
  private constructor(private readonly root: string) {}

  /** The directory is made on the first put: a service that stores no document leaves DATA_DIR as it was. */
  static async open(root: string): Promise<FileDocumentStore> {
    return new FileDocumentStore(root);
  }

  async put(bytes: Buffer): Promise<StoredBlob> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const dir = join(this.root, sha256.slice(0, 2));
    await mkdir(dir, { recursive: true });
    const temporary = join(dir, `.tmp-${process.pid}-${randomBytes(8).toString('hex')}`);
    try {
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, join(dir, sha256));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    // The rename survives a power cut once the directory is flushed too; best effort, as not every
    // platform can flush a directory (the file itself is whole either way).
    await syncDirectory(dir).catch(() => undefined);
    return { sha256, size: bytes.length };
  }

  async get(sha256: string): Promise<Buffer | null> {
    if (!SHA256_HEX.test(sha256)) return null;
    try {
      return await readFile(join(this.root, sha256.slice(0, 2), sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async close(): Promise<void> {}
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
