import Database from 'better-sqlite3';
import type { LeaseStore } from './lease.port';

/**
 * Leases in the table `_leases` of the read-model file (read-models.db), through a connection of
 * their own: processes sharing one DATA_DIR share the leases. Each acquire is a compare-and-set
 * in an IMMEDIATE transaction (the write lock is taken before the row is read), so two
 * processes can never both see the lease free.
 */
export class SqliteLeaseStore implements LeaseStore {
  private readonly db: Database.Database;
  private readonly renew: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly acquireTx: (name: string, owner: string, now: number, expiresAt: number) => boolean;

  static open(file: string, options: { busyTimeoutMs?: number } = {}): SqliteLeaseStore {
    return new SqliteLeaseStore(file, options.busyTimeoutMs ?? 2000);
  }

  private constructor(file: string, busyTimeoutMs: number) {
    this.db = new Database(file);
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS _leases ' +
        '(name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL) STRICT',
    );
    this.renew = this.db.prepare(
      'UPDATE _leases SET owner = ?, expires_at = ? WHERE name = ? AND (owner = ? OR expires_at < ?)',
    );
    this.insert = this.db.prepare('INSERT OR IGNORE INTO _leases (name, owner, expires_at) VALUES (?, ?, ?)');
    this.remove = this.db.prepare('DELETE FROM _leases WHERE name = ? AND owner = ?');
    const tx = this.db.transaction((name: string, owner: string, now: number, expiresAt: number): boolean => {
      if (this.renew.run(owner, expiresAt, name, owner, now).changes === 1) return true;
      return this.insert.run(name, owner, expiresAt).changes === 1;
    });
    this.acquireTx = (name, owner, now, expiresAt) => tx.immediate(name, owner, now, expiresAt);
  }

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    return this.acquireTx(name, owner, now, now + ttlMs);
  }

  async release(name: string, owner: string): Promise<void> {
    this.remove.run(name, owner);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
