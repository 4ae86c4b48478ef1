// Synthetic land parcels for benchmarks and tests: a jittered grid that tiles part of
// the province without gaps or overlaps, like a cadastral sheet. NOT real data: every
// parcel says so in its sources and accuracy.
//
// A grid cell becomes a parcel only if it lies wholly inside the province, decided
// exactly and cheaply with a scanline: per row of cells, the province edges that reach
// the row's band (widened by the jitter) forbid the x-ranges they span; a cell clear of
// every forbidden range whose centre is inside (crossing parity) is inside as a whole.
import type { ImportFeature } from '../../server/import/bulk.ts';

export type Ring = [number, number][];

export type ParcelOptions = {
  count: number;
  /** Outer and inner rings of the province (lon/lat); holes count by parity. */
  rings: Ring[];
  seed?: number;
  batchSize?: number;
  /** Only cells whose centre lies in this lon/lat box (tests: a small area). */
  within?: [number, number, number, number];
};

export const SYNTHETIC_SOURCE = {
  key: 'SYNTHETIC-PARCELS',
  title: 'Synthetic land parcels generated for benchmarks (scripts/parcels) — not real data',
  publisher: 'Lạng Sơn GIS project',
  published: '2026',
  licence: 'CC0-1.0',
};

// Land-use codes (Circular 08/2024/TT-BTNMT) with rough shares for a mountain province.
const LAND_USES: [string, number][] = [
  ['RSX', 30], ['RPH', 10], ['LUC', 15], ['HNK', 10], ['CLN', 10],
  ['ONT', 12], ['ODT', 5], ['SKK', 3], ['DGT', 3], ['NTS', 2],
];
const LAND_USE_TOTAL = LAND_USES.reduce((sum, [, w]) => sum + w, 0);

// Corners move by at most this fraction of a cell: below 1/4, quads stay simple.
const JITTER = 0.2;
const SHEET_CELLS = 32;

/** mulberry32: small, fast, deterministic for a seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A corner's offset depends only on (seed, row, column): neighbours share corners.
const cornerNoise = (seed: number, row: number, column: number, axis: number) =>
  (random((seed * 73856093) ^ (row * 19349663) ^ (column * 83492791) ^ (axis * 2654435761))() * 2 - 1) * JITTER;

type Grid = { minLon: number; minLat: number; cellLon: number; cellLat: number; rows: number; columns: number };

function extent(rings: Ring[]) {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const ring of rings) {
    for (const [x, y] of ring) {
      minLon = Math.min(minLon, x); maxLon = Math.max(maxLon, x);
      minLat = Math.min(minLat, y); maxLat = Math.max(maxLat, y);
    }
  }
  return { minLon, minLat, maxLon, maxLat };
}

/** Cells (row, column) wholly inside the rings, for a grid of the given cell size. */
function insideCells(rings: Ring[], grid: Grid, within?: ParcelOptions['within']): Int32Array {
  const edges: [number, number, number, number][] = [];
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) edges.push([ring[i]![0], ring[i]![1], ring[i + 1]![0], ring[i + 1]![1]]);
  }
  // Edges bucketed by the rows their widened band touches.
  const byRow: number[][] = Array.from({ length: grid.rows }, () => []);
  const rowOf = (lat: number) => (lat - grid.minLat) / grid.cellLat;
  edges.forEach(([, ya, , yb], index) => {
    const from = Math.max(0, Math.ceil(rowOf(Math.min(ya, yb)) - 1 - JITTER));
    const to = Math.min(grid.rows - 1, Math.floor(rowOf(Math.max(ya, yb)) + JITTER));
    for (let r = from; r <= to; r++) byRow[r]!.push(index);
  });
  const cells: number[] = [];
  for (let r = 0; r < grid.rows; r++) {
    const centreLat = grid.minLat + (r + 0.5) * grid.cellLat;
    const forbidden: [number, number][] = [];
    const crossings: number[] = [];
    for (const index of byRow[r]!) {
      const [xa, ya, xb, yb] = edges[index]!;
      forbidden.push([Math.min(xa, xb), Math.max(xa, xb)]);
      if (ya > centreLat !== yb > centreLat) crossings.push(xa + ((centreLat - ya) * (xb - xa)) / (yb - ya));
    }
    crossings.sort((a, b) => a - b);
    for (let c = 0; c < grid.columns; c++) {
      const left = grid.minLon + (c - JITTER) * grid.cellLon;
      const right = grid.minLon + (c + 1 + JITTER) * grid.cellLon;
      const centreLon = grid.minLon + (c + 0.5) * grid.cellLon;
      if (within && (centreLon < within[0] || centreLat < within[1] || centreLon > within[2] || centreLat > within[3])) continue;
      if (forbidden.some(([a, b]) => b >= left && a <= right)) continue;
      const toTheLeft = crossings.filter((x) => x < centreLon).length;
      if (toTheLeft % 2 === 1) cells.push(r, c);
    }
  }
  return Int32Array.from(cells);
}

function gridFor(rings: Ring[], count: number, within?: ParcelOptions['within']): { grid: Grid; cells: Int32Array } {
  const box = extent(rings);
  const area = within
    ? { minLon: Math.max(box.minLon, within[0]), minLat: Math.max(box.minLat, within[1]), maxLon: Math.min(box.maxLon, within[2]), maxLat: Math.min(box.maxLat, within[3]) }
    : box;
  const metresPerLon = 111_320 * Math.cos((((area.minLat + area.maxLat) / 2) * Math.PI) / 180);
  const metresPerLat = 110_574;
  // Start from a cell that fills the box, then shrink until enough cells fall inside.
  let side = Math.sqrt(((area.maxLon - area.minLon) * metresPerLon * (area.maxLat - area.minLat) * metresPerLat) / count);
  for (;;) {
    const cellLon = side / metresPerLon;
    const cellLat = side / metresPerLat;
    const grid = {
      minLon: box.minLon,
      minLat: box.minLat,
      cellLon,
      cellLat,
      rows: Math.ceil((box.maxLat - box.minLat) / cellLat),
      columns: Math.ceil((box.maxLon - box.minLon) / cellLon),
    };
    const cells = insideCells(rings, grid, within);
    const found = cells.length / 2;
    if (found >= count) return { grid, cells };
    side *= Math.min(0.99, Math.sqrt(found / count) * 0.99) || 0.5;
  }
}

/** Batches of `count` valid parcels inside the rings, the same for the same seed. */
export function* syntheticParcels({ count, rings, seed = 1, batchSize = 5000, within }: ParcelOptions): Generator<ImportFeature[]> {
  const { grid, cells } = gridFor(rings, count, within);
  const rand = random(seed);
  // Keep `count` of the cells, chosen at random but in row order (index locality).
  const total = cells.length / 2;
  const order = Array.from({ length: total }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rand() * (total - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const chosen = order.slice(0, count).sort((a, b) => a - b);

  const corner = (row: number, column: number): [number, number] => [
    round(grid.minLon + (column + cornerNoise(seed, row, column, 0)) * grid.cellLon),
    round(grid.minLat + (row + cornerNoise(seed, row, column, 1)) * grid.cellLat),
  ];
  let batch: ImportFeature[] = [];
  for (const index of chosen) {
    const row = cells[index * 2]!;
    const column = cells[index * 2 + 1]!;
    const sheet = Math.floor(row / SHEET_CELLS) * 1000 + Math.floor(column / SHEET_CELLS) + 1;
    const parcelNo = (row % SHEET_CELLS) * SHEET_CELLS + (column % SHEET_CELLS) + 1;
    const first = corner(row, column);
    // Counter-clockwise exterior ring (RFC 7946).
    const ring = [first, corner(row, column + 1), corner(row + 1, column + 1), corner(row + 1, column), first];
    const registered = rand() < 0.1 ? null : isoDate(rand());
    batch.push({
      id: `p-${sheet}-${parcelNo}`,
      properties: {
        map_sheet: sheet,
        parcel_no: parcelNo,
        land_use: landUse(rand()),
        registered_on: registered,
        holder: `Hộ sử dụng đất ${sheet}/${parcelNo}`,
        sources: [SYNTHETIC_SOURCE.key],
        source_date: '2026-01-01',
        accuracy: 'indicative',
      },
      geometry: { type: 'Polygon', coordinates: [ring] },
    });
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const round = (degrees: number) => Math.round(degrees * 1e7) / 1e7;

function landUse(u: number): string {
  let left = u * LAND_USE_TOTAL;
  for (const [code, weight] of LAND_USES) {
    left -= weight;
    if (left < 0) return code;
  }
  return LAND_USES[0]![0];
}

// A registration date between 1995-01-01 and 2025-12-31.
function isoDate(u: number): string {
  const start = Date.UTC(1995, 0, 1);
  const end = Date.UTC(2025, 11, 31);
  return new Date(start + Math.floor(u * ((end - start) / 86_400_000)) * 86_400_000).toISOString().slice(0, 10);
}
