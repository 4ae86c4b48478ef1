// The embedded database's own thread. PGlite (PostgreSQL compiled to WASM) runs in the
// thread that calls it, and a statement holds that thread until it ends; here it holds
// this worker, never the request thread. The main thread's PgliteDatabase (pglite.ts)
// sends one request at a time and keeps the queue, the transactions and the timeouts.
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import { postgis } from '@electric-sql/pglite-postgis';
import { SESSION_TIME_ZONE, typeParsers } from './adapter.ts';
import { PGLITE_SETTINGS } from './pglite-settings.ts';

export type WorkerSource = { dataDir: string; load?: ArrayBuffer } | { memory: true } | { dump: ArrayBuffer };
export type WorkerInit = { source: WorkerSource; durable: boolean };

export type WorkerRequest = { id: number } & WorkerOp;
export type WorkerOp =
  | { op: 'query'; sql: string; params: readonly unknown[] }
  | { op: 'exec'; sql: string }
  | { op: 'listen'; channel: string }
  | { op: 'unlisten'; channel: string }
  | { op: 'dump'; compression: 'none' | 'gzip' }
  | { op: 'stats' }
  | { op: 'close' };

/** What a failed statement says: the message and PostgreSQL's fields (code, constraint…). */
export type WorkerError = { message: string; fields: Record<string, unknown> };

export type WorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: WorkerError }
  | { event: 'notify'; channel: string; payload: string }
  | { event: 'ready' }
  | { event: 'failed'; error: WorkerError };

export type WorkerStats = { fsyncs: number };

let fsyncs = 0;

/**
 * NODEFS as PGlite ships it has no fsync (Emscripten's fsync and fdatasync are no-ops
 * there), so PostgreSQL's "flushed" would mean "in the OS cache". Adding the operation
 * makes fsync() reach the disk: files by their descriptor, directories (new relation
 * files) by path. WAL is flushed with fsync() (wal_sync_method below), not fdatasync.
 */
class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, options: Parameters<NodeFS['init']>[1]) {
    const result = await super.init(pg, options);
    const preRun = (result.emscriptenOpts.preRun ??= []) as ((module: EmscriptenModule) => void)[];
    preRun.push((module) => {
      const nodefs = module.FS.filesystems.NODEFS;
      nodefs.stream_ops.fsync = (stream: NodeFsStream) => {
        if (stream.nfd !== undefined) fs.fsyncSync(stream.nfd);
        else {
          const fd = fs.openSync(nodefs.realPath(stream.node), 'r');
          try {
            fs.fsyncSync(fd);
          } finally {
            fs.closeSync(fd);
          }
        }
        fsyncs++;
        return 0;
      };
    });
    return result;
  }
}

type NodeFsStream = { nfd?: number; node: unknown };
type EmscriptenModule = {
  FS: { filesystems: { NODEFS: { stream_ops: Record<string, unknown>; realPath(node: unknown): string } } };
};

async function open({ source, durable }: WorkerInit): Promise<PGlite> {
  const options = { extensions: { postgis }, parsers: typeParsers };
  if ('dataDir' in source) {
    const loadDataDir = source.load ? new Blob([source.load]) : undefined;
    if (!durable) return PGlite.create(source.dataDir, { ...options, loadDataDir, startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
    // PGlite starts PostgreSQL with -F (fsync off); without it, a commit is acknowledged
    // only once its WAL is on disk.
    const startParams = [...PGlite.defaultStartParams.filter((p) => p !== '-F'), '-c', 'wal_sync_method=fsync', ...PGLITE_SETTINGS];
    return PGlite.create({ ...options, fs: new DurableNodeFS(path.resolve(source.dataDir)), loadDataDir, startParams });
  }
  const startParams = [...PGlite.defaultStartParams, ...PGLITE_SETTINGS];
  if ('dump' in source) return PGlite.create({ ...options, loadDataDir: new Blob([source.dump]), startParams });
  return PGlite.create({ ...options, startParams });
}

const port = parentPort!;
const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

const describe = (error: unknown): WorkerError => {
  const e = error as Error & Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(e ?? {})) if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  return { message: e?.message ?? String(error), fields };
};

async function main() {
  let pg: PGlite;
  try {
    pg = await open((workerData as { data: WorkerInit }).data);
    await pg.exec(`SET TimeZone = '${SESSION_TIME_ZONE}'`);
  } catch (error) {
    send({ event: 'failed', error: describe(error) });
    return;
  }
  const listening = new Map<string, () => Promise<void>>();

  const handle = async (request: WorkerRequest): Promise<{ result: unknown; transfer?: ArrayBuffer[] }> => {
    switch (request.op) {
      case 'query':
        return { result: (await pg.query(request.sql, request.params as unknown[])).rows };
      case 'exec':
        await pg.exec(request.sql);
        return { result: null };
      case 'listen':
        if (!listening.has(request.channel)) {
          const channel = request.channel;
          listening.set(channel, await pg.listen(channel, (payload) => send({ event: 'notify', channel, payload })));
        }
        return { result: null };
      case 'unlisten':
        await listening.get(request.channel)?.();
        listening.delete(request.channel);
        return { result: null };
      case 'dump': {
        const buffer = await (await pg.dumpDataDir(request.compression)).arrayBuffer();
        return { result: buffer, transfer: [buffer] };
      }
      case 'stats':
        return { result: { fsyncs } satisfies WorkerStats };
      case 'close':
        if (!pg.closed) await pg.close();
        return { result: null };
    }
  };

  port.on('message', (request: WorkerRequest) => {
    handle(request).then(
      ({ result, transfer }) => send({ id: request.id, ok: true, result }, transfer),
      (error) => send({ id: request.id, ok: false, error: describe(error) }),
    );
  });
  send({ event: 'ready' });
}

void main();
