// Security headers on every kind of response, a CSP that allows exactly the server's
// own inline stylesheets, and no CORS: other sites cannot read the API from a browser.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../../support/backends.ts';
import { startTestServer, type TestServer } from '../../support/http.ts';

const directives = (res: Response) =>
  new Map(
    (res.headers.get('content-security-policy') ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );

describeEachBackend('security headers and CORS', ({ db }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(db());
  });
  afterAll(() => server.close());

  it.each(['/', '/api/layers', '/api/layers/border_gates', '/tiles/communes/8/203/112.mvt', '/ogc/collections?f=html', '/api/no-such-route'])(
    'sends a strict CSP and the other helmet headers on %s',
    async (path) => {
      const res = await server.get(path);
      const csp = directives(res);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'self'"]);
      expect(csp.get('connect-src')).toEqual(["'self'"]); // no online basemap configured
      expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('x-powered-by')).toBeNull();
    },
  );

  it.each(['/ogc?f=html', '/ogc/collections/industrial_parks/items?f=html', '/api/reports/inventory.html'])(
    'allows the inline stylesheet of %s by its hash, and nothing else inline',
    async (path) => {
      const res = await server.get(path);
      expect(res.status).toBe(200);
      const styles = [...(await res.text()).matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
      expect(styles).toHaveLength(1);
      const hash = `'sha256-${createHash('sha256').update(styles[0]!).digest('base64')}'`;
      expect(directives(res).get('style-src')).toContain(hash);
    },
  );

  it('sends no CORS headers, for simple requests and preflights from another origin', async () => {
    const simple = await server.get('/api/layers', { Origin: 'https://other.example' });
    expect(simple.status).toBe(200);
    expect([...simple.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const preflight = await server.request('/api/features/industrial_parks', {
      method: 'OPTIONS',
      headers: { Origin: 'https://other.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-csrf-token' },
    });
    expect([...preflight.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('lets the page reach an online basemap only when one is configured', async () => {
    const online = await startTestServer(db(), { env: { BASEMAP_STYLE_URL: 'https://tiles.example/style.json' } });
    try {
      const csp = directives(await online.get('/api/layers'));
      expect(csp.get('connect-src')).toEqual(["'self'", 'https:']);
      expect(csp.get('img-src')).toContain('https:');
      expect(csp.get('script-src')).toEqual(["'self'"]);
    } finally {
      await online.close();
    }
  });
});
