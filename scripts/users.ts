// Manage users from the command line, on the configured database (DATABASE_URL or
// the embedded one in DATA_DIR). Passwords are read from standard input, never
// from the command line (which other users of the machine can see).
//
//   tsx scripts/users.ts list
//   echo 'a long password' | tsx scripts/users.ts create <username> <viewer|editor|admin>
//   tsx scripts/users.ts set-role <username> <viewer|editor|admin>
//   echo 'a new long password' | tsx scripts/users.ts reset-password <username>
//   tsx scripts/users.ts delete <username>
import { text } from 'node:stream/consumers';
import { createUser, deleteUser, findUserByName, listUsers, resetPassword, roleSchema, setRole } from '../server/auth/users.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import type { Database } from '../server/db/adapter.ts';
import { migrate } from '../server/db/migrate.ts';
import { openDatabase } from '../server/db/open.ts';

const USAGE = 'usage: tsx scripts/users.ts list | create <username> <role> | set-role <username> <role> | reset-password <username> | delete <username>';

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (then Enter, Ctrl-D): ');
  return (await text(process.stdin)).replace(/\r?\n$/, '');
}

async function run(db: Database, [command, username, role]: string[]): Promise<string> {
  const user = async () => {
    const found = username ? await findUserByName(db, username) : undefined;
    if (!found) throw new Error(`No user '${username ?? ''}'.`);
    return found;
  };
  switch (command) {
    case 'list':
      return (await listUsers(db)).map((u) => `${u.username}\t${u.role}\t${new Date(u.created_at).toISOString()}`).join('\n') || '(no users)';
    case 'create': {
      const created = await createUser(db, { username: username ?? '', password: await readPassword(), role: roleSchema.parse(role) });
      return `created ${created.username} (${created.role})`;
    }
    case 'set-role':
      return `${(await setRole(db, (await user()).id, roleSchema.parse(role))).username} is now ${role}`;
    case 'reset-password':
      return `new password set for ${(await resetPassword(db, (await user()).id, await readPassword())).username}; their sessions ended`;
    case 'delete':
      await deleteUser(db, (await user()).id);
      return `deleted ${username}`;
    default:
      throw new Error(USAGE);
  }
}

const config = loadConfig();
const db = await openDatabase(config);
try {
  await migrate(db);
  process.stdout.write(`${await run(db, process.argv.slice(2))}\n`);
} catch (error) {
  const message = error instanceof ConfigError ? error.message : ((error as { issues?: { message: string }[] }).issues?.[0]?.message ?? (error as Error).message);
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
