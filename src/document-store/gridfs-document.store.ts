import { createHash, randomUUID } from 'node:crypto';
import { GridFSBucket, MongoClient } from 'mongodb';
import { SHA256_HEX, type DocumentStore, type StoredBlob } from './document-store.port';

/**
 * Files in MongoDB GridFS (bucket `documents`), named by their SHA-256. GridFS writes a file's
 * chunks before its entry in `documents.files`, and a put first uploads under a name no reader
 * looks up (`pending/<uuid>`), then renames the entry to the digest: a crash mid-upload leaves
 * orphaned chunks or a pending entry, never a half file under a digest. Bytes already stored under
 * their digest are not uploaded again; two processes racing may each store one copy, both whole
 * and identical, and a read takes the newest.
 */
export class GridFsDocumentStore implements DocumentStore {
  private readonly client: MongoClient;
  private readonly bucket: GridFSBucket;

  static async connect(uri: string, dbName: string): Promise<GridFsDocumentStore> {
    const store = new GridFsDocumentStore(uri, dbName);
    try {
      await store.client.db(dbName).command({ ping: 1 });
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
    return store;
  }

  constructor(uri: string, dbName: string) {
    this.client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, connectTimeoutMS: 5000 });
    this.bucket = new GridFSBucket(this.client.db(dbName), { bucketName: 'documents' });
  }

  async put(bytes: Buffer): Promise<StoredBlob> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const size = bytes.length;
    const existing = await this.bucket.find({ filename: sha256, length: size }).limit(1).next();
    if (existing) return { sha256, size };
    const upload = this.bucket.openUploadStream(`pending/${randomUUID()}`, { metadata: { sha256 } });
    await new Promise<void>((resolve, reject) => {
      upload.once('error', reject);
      upload.once('finish', resolve);
      upload.end(bytes);
    });
    await this.bucket.rename(upload.id, sha256);
    return { sha256, size };
  }

  async get(sha256: string): Promise<Buffer | null> {
    if (!SHA256_HEX.test(sha256)) return null;
    const file = await this.bucket.find({ filename: sha256 }).sort({ uploadDate: -1 }).limit(1).next();
    if (!file) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of this.bucket.openDownloadStream(file._id)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
