// The floor for this machine and load generator: a bare node:http server, in its own
// process, answering every request with the bytes (and headers) our server sent for
// one URL. Our latency divided by its latency is what Express, routing and our code cost.
import http from 'node:http';
import { request } from 'undici';

// undici's request, unlike fetch, hands over the body as sent (still gzipped).
const res = await request(process.argv[2]!, { headers: { 'accept-encoding': 'gzip' } });
const body = Buffer.from(await res.body.arrayBuffer());
const headers: Record<string, string> = {};
for (const name of ['content-type', 'content-encoding', 'etag', 'cache-control', 'vary']) {
  const value = res.headers[name];
  if (typeof value === 'string') headers[name] = value;
}
const server = http.createServer((_req, out) => {
  out.writeHead(200, { ...headers, 'content-length': body.length });
  out.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`Ready: http://127.0.0.1:${port}/\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
