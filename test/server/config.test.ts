import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig, maskPassword } from '../../server/config.ts';

describe('config', () => {
  it('defaults to the embedded database on port 3000', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toMatch(/\/data$/);
    expect(describeConfig(c).database).toMatch(/^embedded PGlite in /);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('never prints a database password', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://gis:s3cret@db.example:5432/gis' });
    const printed = JSON.stringify(describeConfig(c));
    expect(printed).not.toContain('s3cret');
    expect(printed).toContain('postgres://gis:***@db.example:5432/gis');
    expect(maskPassword('not a url')).toBe('(unparseable URL)');
  });

  it('reads the sign-in settings and never prints the admin password', () => {
    const c = loadConfig({ ADMIN_USERNAME: 'Admin', ADMIN_PASSWORD: 'correct horse battery', SESSION_TTL_HOURS: '8', COOKIE_SECURE: 'true' });
    expect(c.admin).toEqual({ username: 'admin', password: 'correct horse battery' });
    expect(c.sessionTtlHours).toBe(8);
    expect(c.cookieSecure).toBe(true);
    expect(loadConfig({}).cookieSecure).toBe('auto');
    expect(JSON.stringify(describeConfig(c))).not.toContain('correct horse');
    expect(() => loadConfig({ ADMIN_USERNAME: 'admin' })).toThrow(/ADMIN_USERNAME and ADMIN_PASSWORD/);
    expect(() => loadConfig({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD: at least 10/);
    expect(() => loadConfig({ COOKIE_SECURE: 'maybe' })).toThrow(/COOKIE_SECURE/);
  });
});
