// One administrative statement (CREATE/DROP DATABASE) on its own connection: such
// statements cannot run inside a pool's transaction or on the database they change.
import pg from 'pg';

export async function runAdminStatement(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
