// Truth checks on the seeded database: every place where it really is, every number with
// its source. Geodesic measures use PostGIS geography (WGS 84 ellipsoid). A record may
// fail a check only if its catalogue entry says why (check_exceptions).
import { expect, it } from 'vitest';
import type { CheckExceptions } from '../../scripts/geodata/catalogue-schema.ts';
import { readCatalogue, seededNames } from '../../scripts/geodata/catalogue.ts';
import { repoRoot } from '../../scripts/geodata/build-seed-layers.ts';
import { describeEachBackend } from '../support/backends.ts';

const catalogue = readCatalogue(repoRoot);
const exceptions = new Map<string, CheckExceptions>(
  seededNames.flatMap((name) =>
    (catalogue.seeded[name] as { id: string; check_exceptions?: CheckExceptions }[]).map((r) => [r.id, r.check_exceptions ?? {}]),
  ),
);
const excused = (id: string, check: keyof Omit<CheckExceptions, 'contains'>) => Boolean(exceptions.get(id)?.[check]);

const AREA_TOLERANCE = 0.1;
const BORDER_GATE_MAX_M = 2000;
// Points snapped onto the border line may fall just outside the province outline, which
// the border line follows to within ±55 m (geodata/base README).
const ON_BORDER_SLACK_M = 60;
// Indicative outlines are placed by reasoning near commune boundaries; a small part may
// cross into the neighbouring commune.
const MIN_SHARE_IN_COMMUNES = { indicative: 0.9, other: 0.99 } as const;

const PROVINCE = "(SELECT geom FROM base_features WHERE layer = 'province')";

describeEachBackend('seed truth', ({ db }) => {
  it('cites only sources that exist, in every thematic table and the main roads', async () => {
    const unknown = await db().query<{ feature: string; key: string }>(
      `SELECT t.feature, t.key FROM (
         ${['zones', 'border_gates', 'border_markers', 'projects', 'planning_areas']
           .map((table) => `SELECT '${table}/' || id AS feature, unnest(sources) AS key FROM ${table}`)
           .join(' UNION ALL ')}
         UNION ALL SELECT 'main_roads/' || id, unnest(sources) FROM base_features WHERE layer = 'main_roads'
       ) t WHERE t.key NOT IN (SELECT key FROM sources)`,
    );
    expect(unknown).toEqual([]);
  });

  it('draws every zone and planning area with a legal area within 10 % of it (ellipsoidal area)', async () => {
    const rows = await db().query<{ id: string; area_ha: number; drawn_ha: number }>(
      `SELECT id, area_ha, ST_Area(geom::geography) / 10000 AS drawn_ha FROM zones WHERE area_ha IS NOT NULL
       UNION ALL
       SELECT id, area_ha, ST_Area(geom::geography) / 10000 FROM planning_areas WHERE area_ha IS NOT NULL`,
    );
    expect(rows.length).toBeGreaterThan(0);
    const off = rows.filter((r) => Math.abs(r.drawn_ha - r.area_ha) / r.area_ha > AREA_TOLERANCE && !excused(r.id, 'area'));
    expect(off).toEqual([]);
  });

  it('places every border gate and marker inside the province', async () => {
    const outside = await db().query<{ id: string; metres: number }>(
      `SELECT id, ST_Distance(geom::geography, ${PROVINCE}::geography) AS metres
       FROM (SELECT id, geom FROM border_gates UNION ALL SELECT id, geom FROM border_markers) p
       WHERE NOT ST_Covers(${PROVINCE}, geom)`,
    );
    expect(outside.filter((r) => r.metres > ON_BORDER_SLACK_M)).toEqual([]);
  });

  it('places every border gate within 2 km of the national border, unless the catalogue says why', async () => {
    const rows = await db().query<{ id: string; metres: number }>(
      `SELECT g.id, ST_Distance(g.geom::geography, b.geom::geography) AS metres
       FROM border_gates g, base_features b WHERE b.layer = 'national_border'`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.metres > BORDER_GATE_MAX_M && !excused(r.id, 'border_distance'))).toEqual([]);
  });

  it('keeps every zone inside its stated 2025 communes (indicative outlines may stick out a little)', async () => {
    const rows = await db().query<{ id: string; accuracy: string; share: number | null }>(
      `SELECT z.id, z.accuracy,
              ST_Area(ST_Intersection(z.geom, c.geom)::geography) / ST_Area(z.geom::geography) AS share
       FROM zones z
       LEFT JOIN LATERAL (SELECT ST_Union(geom) AS geom FROM communes WHERE name_vi = ANY(z.communes)) c ON true`,
    );
    expect(rows.length).toBeGreaterThan(0);
    const minimum = (accuracy: string) => (accuracy === 'indicative' ? MIN_SHARE_IN_COMMUNES.indicative : MIN_SHARE_IN_COMMUNES.other);
    expect(rows.filter((r) => (r.share ?? 0) < minimum(r.accuracy) && !excused(r.id, 'communes'))).toEqual([]);
  });

  it('lets no two zones overlap unless the catalogue records that one contains the other', async () => {
    const overlaps = await db().query<{ a: string; b: string; m2: number }>(
      `SELECT a.id AS a, b.id AS b, ST_Area(ST_Intersection(a.geom, b.geom)::geography) AS m2
       FROM zones a JOIN zones b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)`,
    );
    const contains = (outer: string, inner: string) => exceptions.get(outer)?.contains?.includes(inner) ?? false;
    // Touching edges share no area.
    expect(overlaps.filter((o) => o.m2 > 1 && !contains(o.a, o.b) && !contains(o.b, o.a))).toEqual([]);
  });

  it('loads every catalogued main road as an indicative line inside the province', async () => {
    const rows = await db().query<{ id: string; accuracy: string; share: number }>(
      `SELECT id, accuracy,
              ST_Length(ST_Intersection(geom, ${PROVINCE})::geography) / ST_Length(geom::geography) AS share
       FROM base_features WHERE layer = 'main_roads'`,
    );
    expect(rows.map((r) => r.id).sort()).toEqual(catalogue.base.main_roads.map((r) => r.id).sort());
    expect(rows.filter((r) => r.share < 0.98 || r.accuracy !== 'indicative')).toEqual([]);
  });
});
