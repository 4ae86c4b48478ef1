import { describe, expect, it } from 'vitest';
import type { Database, Listener } from '../../../server/db/adapter.ts';
import { REVISIONS_CHANNEL, RevisionStore } from '../../../server/layers/revisions.ts';

// A database double: rows for the revision query, and a handle on the listener.
function fakeDatabase(rows: { table_name: string; revision: number }[]) {
  let listener: Listener | undefined;
  let channel: string | undefined;
  let queries = 0;
  const db = {
    backend: 'pglite',
    query: async () => {
      queries++;
      return rows.map((r) => ({ ...r }));
    },
    listen: async (c: string, l: Listener) => {
      channel = c;
      listener = l;
      l.onSubscribed?.();
      return async () => {};
    },
  } as unknown as Database;
  return { db, rows, notify: (p: string) => listener!.onNotify(p), resubscribe: () => listener!.onSubscribed!(), channel: () => channel, queries: () => queries };
}

describe('RevisionStore', () => {
  it('starts from the database and follows notifications', async () => {
    const fake = fakeDatabase([{ table_name: 'zones', revision: 3 }]);
    const store = new RevisionStore(fake.db);
    await store.start();
    expect(fake.channel()).toBe(REVISIONS_CHANNEL);
    expect(store.get('zones')).toBe(3);
    expect(store.get('never_written')).toBe(0);
    fake.notify('zones:4');
    fake.notify('border_gates:1');
    expect(store.get('zones')).toBe(4);
    expect(store.signature()).toBe('border_gates:1,zones:4');
  });

  it('never moves a revision back, and ignores garbage', async () => {
    const fake = fakeDatabase([{ table_name: 'zones', revision: 5 }]);
    const store = new RevisionStore(fake.db);
    await store.start();
    fake.notify('zones:4');
    fake.notify('zones:abc');
    fake.notify('nonsense');
    expect(store.get('zones')).toBe(5);
  });

  it('re-reads everything after a resubscription (notifications may have been lost)', async () => {
    const fake = fakeDatabase([{ table_name: 'zones', revision: 1 }]);
    const store = new RevisionStore(fake.db);
    await store.start();
    fake.rows[0]!.revision = 9; // written while the listener was disconnected
    const before = fake.queries();
    fake.resubscribe();
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.queries()).toBe(before + 1);
    expect(store.get('zones')).toBe(9);
  });
});
