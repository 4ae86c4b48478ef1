// The hand-maintained seed catalogue (geodata/catalogue/*.json): attributes with
// their sources, plus a geometry "recipe" where no surveyed geometry exists.
// scripts/geodata/build-seed-layers.ts turns it into geodata/seed/*.geojson.
import { z } from 'zod';

export const statusValues = [
  'proposed', 'planned', 'approved', 'site_clearance', 'under_construction', 'operating', 'suspended',
] as const;
export const accuracyValues = ['surveyed', 'digitized', 'indicative'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ISO date YYYY-MM-DD');
const lonLat = z.tuple([z.number().min(102).max(110), z.number().min(8).max(24)]);
const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case slug');

export const legalBasisEntry = z.object({
  type: z.enum(['decision', 'conclusion', 'resolution', 'official_letter', 'plan', 'report', 'other']),
  number: z.string().min(1),
  date: isoDate.nullable(),
  issuer: z.string().nullable(),
  title: z.string().min(1),
}).strict();

/** One vertex of a `waypoints` line, named rather than typed in as coordinates. */
export const routeWaypoint = z.union([
  // A town of places_geonames.geojson, by its label.
  z.object({ place: z.string().min(1) }).strict(),
  // The label point of a 2025 commune (names exactly as in lang_son_communes_2025.geojson).
  z.object({ commune: z.string().min(1) }).strict(),
  // The nearest point of the Vietnam–China border line (e.g. a border gate).
  z.object({ border: lonLat }).strict(),
  // Where the line leaves the province heading from its neighbouring waypoint towards
  // a town outside (a place label) or an approximate direction (coordinates).
  z.object({ leaves_toward: z.union([z.string().min(1), lonLat]) }).strict(),
]);

/** How a geometry is obtained. Anything but `geojson` is necessarily indicative. */
export const geometryRecipe = z.discriminatedUnion('recipe', [
  // Coordinates taken from a source as they are (gazetteer point, digitised line...).
  z.object({ recipe: z.literal('geojson'), geometry: z.object({ type: z.string(), coordinates: z.array(z.any()) }) }).strict(),
  // A rectangle (or ellipse) of the given area centred on an anchor, in local metres.
  // aspect = long side / short side; rotation_deg = bearing of the long side,
  // degrees clockwise from north (0 = long side runs north–south, 90 = east–west).
  z.object({
    recipe: z.literal('outline'),
    anchor: lonLat,
    area_ha: z.number().positive(),
    shape: z.enum(['rectangle', 'ellipse']).default('rectangle'),
    aspect: z.number().min(1).max(6).default(1.4),
    rotation_deg: z.number().min(-180).max(180).default(0),
    clip_to_province: z.boolean().default(false),
  }).strict(),
  // A line through waypoints, optionally snapped onto nothing: straight segments between them.
  z.object({ recipe: z.literal('route'), via: z.array(lonLat).min(2) }).strict(),
  // A line through named places, so that every vertex can be traced to a gazetteer entry.
  z.object({ recipe: z.literal('waypoints'), via: z.array(routeWaypoint).min(2) }).strict(),
  // A point moved onto the nearest point of the Vietnam–China border line.
  z.object({ recipe: z.literal('border_point'), near: lonLat }).strict(),
  // The union of named 2025 communes (names exactly as in lang_son_communes_2025.geojson).
  z.object({ recipe: z.literal('communes_union'), communes: z.array(z.string()).min(1) }).strict(),
]);

/**
 * Why a record may fail a truth check (test/geodata/seed-truth.int.test.ts). Kept in the
 * catalogue only: the reasons are for the people maintaining the data, not map content.
 */
export const checkExceptions = z.object({
  /** The outline's geodesic area may differ from area_ha by more than 10 %. */
  area: z.string().min(1).optional(),
  /** The point may lie more than 2 km from the national border line. */
  border_distance: z.string().min(1).optional(),
  /** The outline may reach outside its stated 2025 communes. */
  communes: z.string().min(1).optional(),
  /** Zones the sources say lie inside this one: they may overlap it. */
  contains: z.array(slug).optional(),
}).strict();

/** Where a record's facts and geometry come from, and how exact the geometry is. */
const provenance = {
  sources: z.array(z.string().min(1)).min(1),
  source_date: isoDate,
  accuracy: z.enum(accuracyValues),
  geometry_note: z.string().min(1),
  geometry: geometryRecipe,
};

const common = {
  id: slug,
  name_vi: z.string().min(1),
  name_en: z.string().min(1),
  aliases: z.array(z.string()).default([]),
  status: z.enum(statusValues),
  status_date: isoDate.nullable(),
  communes: z.array(z.string()).default([]),
  former_location: z.string().nullable().default(null),
  legal_basis: z.array(legalBasisEntry).default([]),
  notes: z.string().nullable().default(null),
  internal_notes: z.string().nullable().default(null),
  ...provenance,
  check_exceptions: checkExceptions.optional(),
};

export const zoneRecord = z.object({
  ...common,
  kind: z.enum(['industrial_park', 'industrial_cluster']),
  area_ha: z.number().positive().nullable(),
  leasable_ha: z.number().nonnegative().nullable().default(null),
  occupied_ha: z.number().nonnegative().nullable().default(null),
  developer: z.string().nullable().default(null),
  difficulties: z.string().nullable().default(null),
  proposals: z.string().nullable().default(null),
}).strict();

export const borderGateRecord = z.object({
  ...common,
  gate_type: z.enum(['international', 'main', 'secondary', 'opening']),
  transport_mode: z.enum(['road', 'rail', 'road_rail']),
  partner_gate: z.string().nullable().default(null),
  border_markers: z.string().nullable().default(null),
}).strict();

export const borderMarkerRecord = z.object({
  ...common,
  number: z.string().min(1),
}).strict();

export const projectRecord = z.object({
  ...common,
  kind: z.enum(['expressway', 'road', 'railway', 'freight_route', 'smart_gate_site', 'project_site']),
  route: z.string().nullable().default(null),
  length_km: z.number().positive().nullable().default(null),
  investor: z.string().nullable().default(null),
  total_investment_bn_vnd: z.number().positive().nullable().default(null),
  start_date: isoDate.nullable().default(null),
  completion_target: z.string().nullable().default(null),
}).strict();

export const planningAreaRecord = z.object({
  ...common,
  plan_level: z.enum(['economic_zone', 'general', 'zoning', 'detailed']),
  horizon_year: z.number().int().min(2020).max(2100).nullable(),
  area_ha: z.number().positive().nullable(),
}).strict();

export const sourceRecord = z.object({
  key: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/),
  title: z.string().min(1),
  publisher: z.string().min(1),
  date: z.string().min(1), // ISO date, year-month, year, or "n.d."
  url: z.string().url().nullable(),
  licence: z.string().min(1),
  note: z.string().nullable().default(null),
}).strict();

/**
 * A main road of the base map, drawn by us through the towns public sources name. Not a
 * thematic feature: it goes into base_features (layer main_roads) without history.
 */
export const mainRoadRecord = z.object({
  id: slug,
  ref: z.string().regex(/^(QL|ĐT|CT)\.?\d+[A-Z]?$/, 'road number such as QL1A, ĐT226 or CT.01'),
  name_vi: z.string().min(1),
  name_en: z.string().min(1),
  notes: z.string().nullable().default(null),
  ...provenance,
}).strict();

/** Catalogue files seeded into thematic tables (geodata/seed/<name>.geojson). */
export const catalogueFiles = {
  zones: zoneRecord,
  border_gates: borderGateRecord,
  border_markers: borderMarkerRecord,
  projects: projectRecord,
  planning_areas: planningAreaRecord,
} as const;

/** Catalogue files built into base layers (geodata/base/<name>.geojson). */
export const baseCatalogueFiles = {
  main_roads: mainRoadRecord,
} as const;

export type CatalogueName = keyof typeof catalogueFiles;
export type BaseCatalogueName = keyof typeof baseCatalogueFiles;
export type ZoneRecord = z.infer<typeof zoneRecord>;
export type GeometryRecipe = z.infer<typeof geometryRecipe>;
export type RouteWaypoint = z.infer<typeof routeWaypoint>;
export type CheckExceptions = z.infer<typeof checkExceptions>;
export type SourceRecord = z.infer<typeof sourceRecord>;

/** A presentation view (geodata/catalogue/saved_views.json): title, talking points, map state. */
export const savedViewRecord = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case slug'),
    title_vi: z.string().min(1),
    title_en: z.string().min(1),
    notes_vi: z.string().nullable().default(null),
    notes_en: z.string().nullable().default(null),
    // The app's URL hash without '#' and without the language.
    state: z.string().max(2000).regex(/^[A-Za-z0-9_\-.,/=&%:;+]*$/),
  })
  .strict();
