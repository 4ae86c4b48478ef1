// npm run backup / restore, as an operator runs them, on both backends: a backup of a
// database edited after seeding restores into an empty database with every row of
// every table (and every sequence) equal; a database holding data is refused unless
// --force; a damaged file or a refused restore changes nothing.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkLogin } from '../../../server/auth/login.ts';
import { createSession } from '../../../server/auth/sessions.ts';
import { createUser } from '../../../server/auth/users.ts';
import type { Database } from '../../../server/db/adapter.ts';
import { pgliteDataDir } from '../../../server/db/open.ts';
import { openPglite } from '../../../server/db/pglite.ts';
import { openPostgres } from '../../../server/db/postgres.ts';
import { applyChange } from '../../../server/features/changes.ts';
import { tables } from '../../../server/layers/tables.ts';
import { INSERT_VIEW_SQL } from '../../../server/views/queries.ts';
import { databaseDigests, type Digests } from '../../../scripts/lib/table-digest.ts';
import { EXIT } from '../../../scripts/backup/cli.ts';
import { backendNames, createPostgresDatabase, type BackendName } from '../../support/backends.ts';
import { repoRoot } from '../../support/templates.ts';

/** A database the CLI reaches through its environment, as the server does. */
type Place = { env: Record<string, string>; open(): Promise<Database>; remove(): Promise<void> };

const places: Record<BackendName, (contents: 'seeded' | 'empty') => Promise<Place>> = {
  pglite: async (contents) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-backup-'));
    const open = () => openPglite({ dataDir: pgliteDataDir(dataDir) });
    if (contents === 'seeded') {
      const load = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
      await (await openPglite({ dataDir: pgliteDataDir(dataDir), load })).close();
    }
    // DATABASE_URL empty = unset: the embedded database in DATA_DIR.
    return { env: { DATA_DIR: dataDir, DATABASE_URL: '' }, open, remove: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  },
  postgres: async (contents) => {
    const database = await createPostgresDatabase(contents);
    return { env: { DATABASE_URL: database.url }, open: () => openPostgres({ url: database.url, poolMax: 2 }), remove: database.drop };
  },
};

type Outcome = { status: number; stdout: string; stderr: string };

const cli = (command: 'backup' | 'restore', args: string[], env: Record<string, string>) =>
  new Promise<Outcome>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, `scripts/backup/${command}.ts`), ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 240_000 },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

const digestsOf = async (place: Place): Promise<Digests> => {
  const db = await place.open();
  try {
    return await databaseDigests(db);
  } finally {
    await db.close();
  }
};

const EDITED_NOTE = 'edited after seeding, before the backup';

/** Writes to every kind of table through the application's own paths. */
async function editAfterSeeding(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await applyChange(tx, tables.zones, { action: 'update', id: 'vsip-lang-son', values: { notes: EDITED_NOTE } }, 'backup-test');
    const [marker] = await tx.query<{ id: string }>('SELECT id FROM border_markers ORDER BY id LIMIT 1');
    await applyChange(tx, tables.border_markers, { action: 'delete', id: marker!.id }, 'backup-test');
  });
  const user = await createUser(db, { username: 'backup-editor', password: 'a long test password', role: 'editor' });
  await createSession(db, user.id, 12);
  await checkLogin(db, 'backup-editor', 'a wrong password', '203.0.113.9');
  await db.query(INSERT_VIEW_SQL, ['backup-view', 1, 'Xem thử', 'Test view', null, null, 'z=9', 'backup-test']);
}

for (const backend of backendNames()) {
  describe(`npm run backup / restore [${backend}]`, () => {
    const cleanups: Place[] = [];
    const place = async (contents: 'seeded' | 'empty') => {
      const made = await places[backend](contents);
      cleanups.push(made);
      return made;
    };
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lsgis-backup-files-'));
    const backupFile = path.join(work, 'backup');
    let source: Place;
    let target: Place;
    let sourceDigests: Digests;

    beforeAll(async () => {
      source = await place('seeded');
      const db = await source.open();
      try {
        await editAfterSeeding(db);
      } finally {
        await db.close();
      }
    }, 180_000);
    afterAll(async () => {
      for (const made of cleanups) await made.remove();
      fs.rmSync(work, { recursive: true, force: true });
    });

    it('backs up the whole database into one file', async () => {
      const outcome = await cli('backup', [backupFile], source.env);
      expect(outcome.stderr).toBe('');
      expect(outcome.status).toBe(EXIT.ok);
      expect(outcome.stdout).toMatch(/^Backed up .* MB/);
      expect(fs.readdirSync(work)).toEqual(['backup']); // no partial file left beside it
      sourceDigests = await digestsOf(source);
    }, 240_000);

    it('restores into an empty database: every row of every table and every sequence equal', async () => {
      target = await place('empty');
      const outcome = await cli('restore', [backupFile], target.env);
      expect(outcome.stderr).toBe('');
      expect(outcome.status).toBe(EXIT.ok);
      const restored = await digestsOf(target);
      expect(restored).toEqual(sourceDigests);
      // The comparison covers what was written after seeding, not only seeded tables.
      for (const table of ['users', 'sessions', 'login_failures', 'saved_views', 'feature_history', 'schema_migrations', 'zones']) {
        expect(restored[table], table).toMatchObject({ rows: expect.any(Number) });
        expect((restored[table] as { rows: number }).rows, table).toBeGreaterThan(0);
      }
      expect(restored['sequence feature_history_id_seq']).toEqual(sourceDigests['sequence feature_history_id_seq']);
      const db = await target.open();
      try {
        const [zone] = await db.query<{ notes: string }>("SELECT notes FROM zones WHERE id = 'vsip-lang-son'");
        expect(zone!.notes).toBe(EDITED_NOTE);
      } finally {
        await db.close();
      }
    }, 240_000);

    it('refuses a database that holds data (exit 3), and changes nothing', async () => {
      const outcome = await cli('restore', [backupFile], target.env);
      expect(outcome.status).toBe(EXIT.refused);
      expect(outcome.stderr).toMatch(/--force/);
      expect(await digestsOf(target)).toEqual(sourceDigests);
    }, 240_000);

    it('leaves the database as it was when the file is damaged, even with --force', async () => {
      const damaged = path.join(work, 'damaged');
      const bytes = fs.readFileSync(backupFile);
      fs.writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const outcome = await cli('restore', [damaged, '--force'], target.env);
      expect(outcome.status).toBe(EXIT.failed);
      expect(await digestsOf(target)).toEqual(sourceDigests);
      fs.rmSync(damaged);
    }, 240_000);

    it('replaces a database that holds other data with --force', async () => {
      const other = await place('seeded'); // seeded, without the edits
      expect(await digestsOf(other)).not.toEqual(sourceDigests);
      const outcome = await cli('restore', [backupFile, '--force'], other.env);
      expect(outcome.stderr).toBe('');
      expect(outcome.status).toBe(EXIT.ok);
      expect(await digestsOf(other)).toEqual(sourceDigests);
    }, 240_000);

    it('refuses to work under a running server', async () => {
      // A server holds the embedded data directory's lock, or a PostgreSQL connection.
      const db = await source.open();
      try {
        const outcome = backend === 'pglite' ? await cli('backup', [path.join(work, 'busy')], source.env) : await cli('restore', [backupFile, '--force'], source.env);
        expect(outcome.status).toBe(EXIT.failed);
        expect(outcome.stderr).toMatch(backend === 'pglite' ? /in use by process \d+/ : /stop the servers first/);
      } finally {
        await db.close();
      }
      expect(fs.existsSync(path.join(work, 'busy'))).toBe(false);
    }, 240_000);

    it('says what is wrong with the arguments or the file', async () => {
      const none = await cli('restore', [], target.env);
      expect(none.status).toBe(EXIT.usage);
      expect(none.stderr).toMatch(/give one backup file\nusage: npm run restore -- <file> \[--force\]/);
      expect((await cli('backup', [backupFile, '--force'], target.env)).status).toBe(EXIT.usage);
      const notBackup = path.join(work, 'not-a-backup');
      fs.writeFileSync(notBackup, 'hello');
      const wrong = await cli('restore', [notBackup, '--force'], target.env);
      expect(wrong.status).toBe(EXIT.failed);
      expect(wrong.stderr).toMatch(/is not a (backup of the embedded database|pg_dump archive)/);
    }, 60_000);
  });
}
