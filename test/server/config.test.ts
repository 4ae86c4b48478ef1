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
});
