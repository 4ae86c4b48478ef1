// Entry point: configuration, database, HTTP server, graceful shutdown. The database is
// opened first, and the rest of the server's code loads while it opens.
import type { AddressInfo } from 'node:net';
import { ConfigError, describeConfig, loadConfig } from './config.ts';
import { formatPhases, prepareDatabase, type StartPhases } from './prepare.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  // Time spent before this line: Node starting and loading the modules above.
  const phases: StartPhases = [['loading code', performance.now()]];
  const config = loadConfig();
  say('Lạng Sơn industrial-zone GIS');
  for (const [key, value] of Object.entries(describeConfig(config))) say(`  ${key}: ${value}`);
  const rest = Promise.all([import('./app.ts'), import('./auth/users.ts'), import('./layers/revisions.ts'), import('./logger.ts'), import('./print/renderer.ts')]);
  rest.catch(() => {}); // awaited below, after the database
  const db = await prepareDatabase(config, say, phases);
  const started = performance.now();
  const [{ createApp }, { ensureAdmin }, { RevisionStore }, { createLogger }, { PrintRenderer }] = await rest;
  const logger = createLogger(config);
  if (config.admin) {
    const outcome = await ensureAdmin(db, config.admin);
    say(outcome === 'created' ? `Created the first admin '${config.admin.username}'.` : 'An admin exists; ADMIN_USERNAME/ADMIN_PASSWORD ignored.');
  }
  const revisions = new RevisionStore(db);
  await revisions.start();
  const printer = new PrintRenderer(config.chromiumPath);
  const app = createApp({ db, revisions, printer, config, logger });
  const server = app.listen(config.port, config.host, () => {
    phases.push(['serving', performance.now() - started]);
    const { port } = server.address() as AddressInfo;
    say(`Ready: http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/`);
    say(`Started in ${(performance.now() / 1000).toFixed(1)} s: ${formatPhases(phases)}.`);
  });
  server.on('error', async (error) => {
    say(`Could not listen on ${config.host}:${config.port}: ${error.message}`);
    await db.close();
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: finishing open requests, then closing the database…`);
    server.close(async () => {
      await printer.close();
      await revisions.stop();
      await db.close();
      say('Stopped.');
      process.exit(0);
    });
    server.closeIdleConnections();
    // Do not hang forever on a stuck client.
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `Start-up failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
