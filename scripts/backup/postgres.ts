// PostgreSQL: pg_dump's custom format (compressed; schema, data, sequences, and the
// PostGIS extension as CREATE EXTENSION) and psql to restore it in one transaction.
// pg_dump must be of the server's major version or newer; it says so itself if not.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { maskPassword } from '../../server/config.ts';
import { CLEAR_PUBLIC_SCHEMA_SQL, SERVER_SESSIONS_SQL, USER_RELATIONS_SQL } from './queries.ts';
import { BackupError, readMagic, RestoreRefused, writeAtomically, type BackupTarget } from './target.ts';

const ARCHIVE_MAGIC = Buffer.from('PGDMP');

export class PostgresTarget implements BackupTarget {
  readonly description: string;

  constructor(private readonly url: string) {
    this.description = `PostgreSQL ${maskPassword(url)}`;
  }

  backup(file: string): Promise<number> {
    return writeAtomically(file, (partial) =>
      this.run('pg_dump', ['--format=custom', `--file=${partial}`, `--dbname=${this.connection().dsn}`]),
    );
  }

  async restore(file: string, { force }: { force: boolean }): Promise<void> {
    if (!(await readMagic(file, ARCHIVE_MAGIC.length)).equals(ARCHIVE_MAGIC)) {
      throw new BackupError(`${file} is not a pg_dump archive (a backup of the embedded database? restore it without DATABASE_URL).`);
    }
    const client = new pg.Client({ connectionString: this.url, application_name: 'lsgis-restore' });
    await client.connect();
    try {
      const [{ n }] = (await client.query<{ n: number }>(SERVER_SESSIONS_SQL)).rows as [{ n: number }];
      if (n > 0) throw new BackupError(`${n} connection(s) from running servers are open on this database: stop the servers first.`);
      const relations = (await client.query<{ name: string }>(USER_RELATIONS_SQL)).rows.map((r) => r.name);
      if (relations.length && !force) {
        throw new RestoreRefused(
          `The database is not empty (${relations.length} relations, e.g. ${relations.slice(0, 3).join(', ')}). ` +
            'Restore into an empty database, or pass --force to replace everything in it.',
        );
      }
    } finally {
      await client.end();
    }
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'lsgis-restore-'));
    try {
      // The archive is turned into a script first: pg_restore reads all of it, so a
      // truncated or damaged file fails here, before anything touches the database.
      const script = path.join(work, 'restore.sql');
      await this.run('pg_restore', ['--no-owner', '--no-privileges', '--no-comments', `--file=${script}`, file]);
      // One transaction, stopping at the first error: all or nothing.
      await this.run('psql', [
        '--no-psqlrc',
        '--quiet',
        '--single-transaction',
        '--set=ON_ERROR_STOP=1',
        ...(force ? [`--command=${CLEAR_PUBLIC_SCHEMA_SQL}`] : []),
        `--file=${script}`,
        `--dbname=${this.connection().dsn}`,
      ]);
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  /** The URL without its password, which travels in PGPASSWORD (not visible in `ps`). */
  private connection(): { dsn: string; env: Record<string, string> } {
    const u = new URL(this.url);
    const password = decodeURIComponent(u.password);
    u.password = '';
    return { dsn: u.toString(), env: password ? { PGPASSWORD: password } : {} };
  }

  private run(command: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        env: { ...process.env, ...this.connection().env, PGOPTIONS: '-c client_min_messages=warning' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          new BackupError(
            error.code === 'ENOENT'
              ? `${command} not found: install the PostgreSQL client tools (postgresql-client, the server's major version or newer).`
              : `${command}: ${error.message}`,
          ),
        ),
      );
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new BackupError(`${command} failed (exit ${code}):\n${stderr.trim()}`)),
      );
    });
  }
}
