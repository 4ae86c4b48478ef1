// What backup.ts and restore.ts share: the configured database (the server's own
// environment: DATABASE_URL, else DATA_DIR), argument checking, and exit codes.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig, type Config } from '../../server/config.ts';
import { PgliteTarget } from './pglite.ts';
import { PostgresTarget } from './postgres.ts';
import { BackupError, RestoreRefused, type BackupTarget } from './target.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3 } as const;

export function targetFor(config: Pick<Config, 'databaseUrl' | 'dataDir'>): BackupTarget {
  return config.databaseUrl ? new PostgresTarget(config.databaseUrl) : new PgliteTarget(config.dataDir);
}

const argsSchema = z.object({
  positionals: z.array(z.string().min(1, 'the backup file name is empty')).length(1, 'give one backup file'),
  values: z.object({ force: z.boolean().optional() }),
});

export type Arguments = { file: string; force: boolean };

/** Parses `<file> [--force]` (--force only where allowed), runs `command`, exits with a code from EXIT. */
export async function runCommand(
  usage: string,
  { allowForce }: { allowForce: boolean },
  command: (target: BackupTarget, args: Arguments) => Promise<string>,
): Promise<never> {
  const say = (stream: NodeJS.WriteStream, text: string) => stream.write(`${text}\n`);
  let args: Arguments;
  try {
    const parsed = argsSchema.parse(
      parseArgs({ allowPositionals: true, options: allowForce ? { force: { type: 'boolean' } } : {}, strict: true }),
    );
    args = { file: parsed.positionals[0]!, force: parsed.values.force ?? false };
  } catch (error) {
    say(process.stderr, `${error instanceof z.ZodError ? error.issues[0]!.message : (error as Error).message}\n${usage}`);
    return process.exit(EXIT.usage);
  }
  try {
    const target = targetFor(loadConfig());
    say(process.stdout, await command(target, args));
    return process.exit(EXIT.ok);
  } catch (error) {
    const known = error instanceof RestoreRefused || error instanceof BackupError || error instanceof ConfigError;
    say(process.stderr, known ? (error as Error).message : `Failed: ${(error as Error)?.stack ?? error}`);
    return process.exit(error instanceof RestoreRefused ? EXIT.refused : EXIT.failed);
  }
}
