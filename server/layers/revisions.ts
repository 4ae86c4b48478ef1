// Table revisions held in memory. The revision trigger announces every committed
// write on channel table_revisions; between announcements a cached body stays
// valid without asking the database. After any (re)subscription the whole map is
// re-read, so a notification lost in a disconnect cannot leave a stale cache.
import type { Database } from '../db/adapter.ts';
import { allRevisionsSql } from './queries.ts';

export const REVISIONS_CHANNEL = 'table_revisions';

export class RevisionStore {
  private readonly revisions = new Map<string, number>();
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(private readonly db: Database) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.db.listen(REVISIONS_CHANNEL, {
      onNotify: (payload) => {
        const cut = payload.lastIndexOf(':');
        this.raise(payload.slice(0, cut), Number(payload.slice(cut + 1)));
      },
      onSubscribed: () => {
        this.reload().catch(() => {}); // the next (re)subscription or write retries
      },
    });
    await this.reload();
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
  }

  get(table: string): number {
    return this.revisions.get(table) ?? 0;
  }

  /** One string naming every table's revision: a cache key for whole-database views. */
  signature(): string {
    return [...this.revisions].map(([t, r]) => `${t}:${r}`).sort().join(',');
  }

  /** Re-reads all revisions now: at start, after reconnects, and after our own writes. */
  async reload(): Promise<void> {
    const rows = await this.db.query<{ table_name: string; revision: number }>(allRevisionsSql);
    for (const r of rows) this.raise(r.table_name, r.revision);
  }

  // Revisions only grow; a late or duplicate message never moves one back.
  private raise(table: string, revision: number) {
    if (Number.isFinite(revision) && revision > (this.revisions.get(table) ?? 0)) this.revisions.set(table, revision);
  }
}
