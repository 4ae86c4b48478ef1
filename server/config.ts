// Environment → typed configuration, in one place. Unknown or invalid values stop
// the server with a message naming the variable, rather than being ignored.
import path from 'node:path';
import { z } from 'zod';
import { passwordSchema, usernameSchema } from './auth/users.ts';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from './db/adapter.ts';
import type { AdmissionLimits } from './http/load-shedding.ts';
import { STREAM_ABOVE_FEATURES } from './layers/service.ts';

const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().url().startsWith('postgres').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  BASEMAP_STYLE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(DEFAULT_STATEMENT_TIMEOUT_MS),
  EMBEDDED_FSYNC: z.enum(['on', 'off']).default('on').transform((v) => v === 'on'),
  MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(64),
  MAX_QUEUED: z.coerce.number().int().min(0).max(100_000).default(1000),
  QUEUE_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(15_000),
  WRITE_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(300),
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  SESSION_TTL_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(12),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  ADMIN_USERNAME: z.string().optional(),
  ADMIN_PASSWORD: z.string().optional(),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  LAYER_STREAM_ABOVE_FEATURES: z.coerce.number().int().min(0).max(100_000_000).default(STREAM_ABOVE_FEATURES),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  basemapStyleUrl: string | undefined;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  dbPoolMax: number;
  /** No database statement runs longer (PostgreSQL: statement_timeout; PGlite: the worker is restarted). */
  statementTimeoutMs: number;
  /** The embedded database acknowledges a commit only once it is on disk. */
  embeddedFsync: boolean;
  /** Requests handled at once, waiting beyond that, and for how long; the rest get 503. */
  admission: AdmissionLimits;
  /** Writes one caller (user, or address when signed out) may make per minute; more get 429. */
  writeRatePerMinute: number;
  trustProxy: boolean;
  sessionTtlHours: number;
  /** 'auto': Secure cookies when the request came over https. */
  cookieSecure: boolean | 'auto';
  /** First admin, created at start only while no admin exists. */
  admin: { username: string; password: string } | undefined;
  /** Headless Chromium used to print maps and reports to PDF/PNG (optional). */
  chromiumPath: string;
  /** Layer collections of more features are streamed from the database, never held or cached. */
  layerStreamAboveFeatures: number;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(pickKnown(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.ADMIN_USERNAME === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('Invalid configuration:\n  ADMIN_USERNAME and ADMIN_PASSWORD: set both or neither');
  }
  const admin = e.ADMIN_USERNAME === undefined ? undefined : checkedAdmin(e.ADMIN_USERNAME, e.ADMIN_PASSWORD!);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    basemapStyleUrl: e.BASEMAP_STYLE_URL,
    logLevel: e.LOG_LEVEL,
    dbPoolMax: e.DB_POOL_MAX,
    statementTimeoutMs: e.STATEMENT_TIMEOUT_MS,
    embeddedFsync: e.EMBEDDED_FSYNC,
    admission: { maxInFlight: e.MAX_IN_FLIGHT, maxQueued: e.MAX_QUEUED, queueTimeoutMs: e.QUEUE_TIMEOUT_MS },
    writeRatePerMinute: e.WRITE_RATE_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    cookieSecure: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
    admin,
    chromiumPath: e.CHROMIUM_PATH,
    layerStreamAboveFeatures: e.LAYER_STREAM_ABOVE_FEATURES,
  };
}

function checkedAdmin(username: string, password: string) {
  const name = usernameSchema.safeParse(username);
  const secret = passwordSchema.safeParse(password);
  const problems: string[] = [];
  if (!name.success) problems.push(`  ADMIN_USERNAME: ${name.error.issues[0]!.message}`);
  if (!secret.success) problems.push(`  ADMIN_PASSWORD: ${secret.error.issues[0]!.message}`);
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return { username: name.data!, password };
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
    statementTimeoutMs: config.statementTimeoutMs,
    ...(config.databaseUrl ? {} : { embeddedFsync: config.embeddedFsync ? 'on (durable)' : 'off (a power cut can lose acknowledged edits)' }),
    admission: `${config.admission.maxInFlight} in flight, ${config.admission.maxQueued} queued for ≤ ${config.admission.queueTimeoutMs} ms`,
    writeRatePerMinute: config.writeRatePerMinute,
    trustProxy: config.trustProxy,
    sessionTtlHours: config.sessionTtlHours,
    cookieSecure: String(config.cookieSecure),
    admin: config.admin ? `${config.admin.username} (password set; created only if no admin exists)` : 'not set',
    chromiumPath: config.chromiumPath,
    layerStreamAboveFeatures: config.layerStreamAboveFeatures,
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
