// Environment → typed configuration, in one place. Unknown or invalid values stop
// the server with a message naming the variable, rather than being ignored.
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().url().startsWith('postgres').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  BASEMAP_STYLE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  basemapStyleUrl: string | undefined;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  dbPoolMax: number;
  trustProxy: boolean;
  /** Headless Chromium used to print maps and reports to PDF/PNG (optional). */
  chromiumPath: string;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(pickKnown(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    basemapStyleUrl: e.BASEMAP_STYLE_URL,
    logLevel: e.LOG_LEVEL,
    dbPoolMax: e.DB_POOL_MAX,
    trustProxy: e.TRUST_PROXY,
    chromiumPath: e.CHROMIUM_PATH,
  };
}

// Empty strings count as "unset", as shells and .env files often produce them.
function pickKnown(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/** The effective configuration with secrets masked, for the start-up log. */
export function describeConfig(config: Config): Record<string, string | number | boolean> {
  return {
    port: config.port,
    host: config.host,
    database: config.databaseUrl ? maskPassword(config.databaseUrl) : `embedded PGlite in ${config.dataDir}`,
    basemapStyleUrl: config.basemapStyleUrl ?? 'offline (own base layers)',
    logLevel: config.logLevel,
    dbPoolMax: config.dbPoolMax,
    trustProxy: config.trustProxy,
    chromiumPath: config.chromiumPath,
  };
}

export function maskPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
