import { describe, expect, it } from 'vitest';
import { isUnavailable } from '../../../server/db/postgres.ts';

describe('PostgreSQL errors that mean "unreachable"', () => {
  it.each([
    ['connection refused', { code: 'ECONNREFUSED' }],
    ['connection reset', { code: 'ECONNRESET' }],
    ['terminated by an administrator', { code: '57P01' }],
    ['still starting', { code: '57P03' }],
    ['connection failure', { code: '08006' }],
    ['too many connections', { code: '53300' }],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool wait that timed out', new Error('timeout exceeded when trying to connect')],
    ['every address refused', { errors: [{ code: 'ECONNREFUSED' }, { code: 'EHOSTUNREACH' }] }],
  ])('%s is unavailable (503)', (_name, error) => {
    expect(isUnavailable(error)).toBe(true);
  });

  it.each([
    ['a syntax error', { code: '42601' }],
    ['a unique violation', { code: '23505' }],
    ['a PostGIS error', new Error('parse error - invalid geometry')],
    ['one address of two refused', { errors: [{ code: 'ECONNREFUSED' }, { code: '28P01' }] }],
    ['nothing', undefined],
  ])('%s is not', (_name, error) => {
    expect(isUnavailable(error)).toBe(false);
  });
});
