// Entry point: configuration, database, HTTP server, graceful shutdown.
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { ensureAdmin } from './auth/users.ts';
import { ConfigError, describeConfig, loadConfig } from './config.ts';
import { RevisionStore } from './layers/revisions.ts';
import { createLogger } from './logger.ts';
import { prepareDatabase } from './prepare.ts';
import { PrintRenderer } from './print/renderer.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const config = loadConfig();
  say('Lạng Sơn industrial-zone GIS');
  for (const [key, value] of Object.entries(describeConfig(config))) say(`  ${key}: ${value}`);
  const logger = createLogger(config);
  const db = await prepareDatabase(config, say);
  if (config.admin) {
    const outcome = await ensureAdmin(db, config.admin);
    say(outcome === 'created' ? `Created the first admin '${config.admin.username}'.` : 'An admin exists; ADMIN_USERNAME/ADMIN_PASSWORD ignored.');
  }
  const revisions = new RevisionStore(db);
  await revisions.start();
  const printer = new PrintRenderer(config.chromiumPath);
  const app = createApp({ db, revisions, printer, config, logger });
  const server = app.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    say(`Ready: http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/`);
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
