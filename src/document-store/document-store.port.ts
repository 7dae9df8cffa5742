/** DI token for the DocumentStore. */
export const DOCUMENT_STORE = Symbol('DOCUMENT_STORE');

/** What a stored file is known by: its SHA-256 (lowercase hex) and its size in bytes. */
export interface StoredBlob {
  sha256: string;
  size: number;
}

/**
 * The bytes of uploaded files (项目文件), content-addressed: a file is stored under the SHA-256 of
 * its bytes, so the same file uploaded twice is stored once and a name never points at other
 * bytes than the ones it was computed from. A file appears under its name whole or not at all (a
 * crash mid-write leaves no half file under it), and several processes may share one store. The
 * store does not judge what it keeps: which file belongs to which project, and whether the bytes
 * read back still match the digest an event recorded, is the caller's to check.
 */
export interface DocumentStore {
  /** Stores the bytes under their digest (again, harmlessly, when already stored). */
  put(bytes: Buffer): Promise<StoredBlob>;
  /** The bytes stored under `sha256`, or null when there are none. Not verified against the digest. */
  get(sha256: string): Promise<Buffer | null>;
  close(): Promise<void>;
}

/** A digest as the store names files: 64 lowercase hex digits (anything else is never looked up). */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
