-- Core schema: thematic layers, base layers, sources, change history.
-- Geometry is stored in EPSG:4326 (lon/lat, as GeoJSON wants it); lengths and areas
-- are computed on geography or in VN-2000, never in degrees.
CREATE EXTENSION IF NOT EXISTS postgis;

-- One status vocabulary for every thematic layer, in life-cycle order.
CREATE DOMAIN feature_status AS text CHECK (VALUE IN (
  'proposed', 'planned', 'approved', 'site_clearance', 'under_construction', 'operating', 'suspended'));

-- How far to trust a geometry. 'indicative' = placed by reasoning, never a legal boundary.
CREATE DOMAIN accuracy_class AS text CHECK (VALUE IN ('surveyed', 'digitized', 'indicative'));

-- Stable public identifiers: readable in URLs and share links.
CREATE DOMAIN feature_id AS text CHECK (VALUE ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(VALUE) <= 80);

CREATE TABLE sources (
  key text PRIMARY KEY CHECK (key ~ '^[A-Za-z0-9][A-Za-z0-9-]*$'),
  title text NOT NULL,
  publisher text NOT NULL,
  published text NOT NULL,
  url text,
  licence text NOT NULL,
  note text
);

-- Columns every thematic feature carries. Never holds rows: tables copy it with LIKE.
CREATE TABLE feature_template (
  id feature_id PRIMARY KEY,
  name_vi text NOT NULL CHECK (btrim(name_vi) <> ''),
  name_en text NOT NULL CHECK (btrim(name_en) <> ''),
  aliases text[] NOT NULL DEFAULT '{}',
  status feature_status NOT NULL,
  status_date date,
  communes text[] NOT NULL DEFAULT '{}',
  former_location text,
  legal_basis jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(legal_basis) = 'array'),
  notes text,
  internal_notes text,
  -- Public fields an editor chose to hide for this feature (e.g. difficulties under negotiation).
  internal_fields text[] NOT NULL DEFAULT '{}',
  sources text[] NOT NULL CHECK (cardinality(sources) > 0),
  source_date date NOT NULL,
  accuracy accuracy_class NOT NULL,
  geometry_note text,
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Industrial parks (KCN) and clusters (CCN).
CREATE TABLE zones (
  LIKE feature_template INCLUDING ALL,
  kind text NOT NULL CHECK (kind IN ('industrial_park', 'industrial_cluster')),
  area_ha numeric(10, 2) CHECK (area_ha > 0),
  -- NULL = unknown, which is not zero.
  leasable_ha numeric(10, 2) CHECK (leasable_ha >= 0),
  occupied_ha numeric(10, 2) CHECK (occupied_ha >= 0),
  occupancy_pct numeric GENERATED ALWAYS AS (
    CASE WHEN leasable_ha > 0 AND occupied_ha IS NOT NULL THEN round(occupied_ha * 100 / leasable_ha, 1) END) STORED,
  vacant_ha numeric GENERATED ALWAYS AS (leasable_ha - occupied_ha) STORED,
  developer text,
  difficulties text,
  proposals text,
  geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
  CONSTRAINT zones_leasable_within_area CHECK (leasable_ha <= area_ha),
  CONSTRAINT zones_occupied_within_leasable CHECK (occupied_ha <= leasable_ha)
);

CREATE TABLE border_gates (
  LIKE feature_template INCLUDING ALL,
  gate_type text NOT NULL CHECK (gate_type IN ('international', 'main', 'secondary', 'opening')),
  transport_mode text NOT NULL CHECK (transport_mode IN ('road', 'rail', 'road_rail')),
  partner_gate text,
  border_markers text,
  geom geometry(Point, 4326) NOT NULL CHECK (NOT ST_IsEmpty(geom))
);

CREATE TABLE border_markers (
  LIKE feature_template INCLUDING ALL,
  number text NOT NULL UNIQUE,
  geom geometry(Point, 4326) NOT NULL CHECK (NOT ST_IsEmpty(geom))
);

-- Expressways, roads, rail, freight routes (lines) and project sites (polygons).
CREATE TABLE projects (
  LIKE feature_template INCLUDING ALL,
  kind text NOT NULL CHECK (kind IN ('expressway', 'road', 'railway', 'freight_route', 'smart_gate_site', 'project_site')),
  route text,
  length_km numeric(8, 2) CHECK (length_km > 0),
  investor text,
  total_investment_bn_vnd numeric(12, 1) CHECK (total_investment_bn_vnd > 0),
  start_date date,
  completion_target text,
  geom geometry(Geometry, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
  CONSTRAINT projects_geometry_matches_kind CHECK (
    CASE WHEN kind IN ('smart_gate_site', 'project_site')
      THEN GeometryType(geom) = 'MULTIPOLYGON'
      ELSE GeometryType(geom) = 'MULTILINESTRING' END)
);

CREATE TABLE planning_areas (
  LIKE feature_template INCLUDING ALL,
  plan_level text NOT NULL CHECK (plan_level IN ('economic_zone', 'general', 'zoning', 'detailed')),
  horizon_year integer CHECK (horizon_year BETWEEN 2000 AND 2100),
  area_ha numeric(12, 2) CHECK (area_ha > 0),
  geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom))
);

-- Communes and wards in force since 1 July 2025. Full-detail geometry for analysis,
-- a topology-preserving simplification for display, and a label point inside each.
CREATE TABLE communes (
  id text PRIMARY KEY CHECK (id ~ '^[0-9]{5}$'),
  name_vi text NOT NULL,
  full_name_vi text NOT NULL,
  name_en text NOT NULL,
  full_name_en text NOT NULL,
  unit_type text NOT NULL CHECK (unit_type IN ('commune', 'ward')),
  area_km2 numeric(10, 2),
  sources text[] NOT NULL CHECK (cardinality(sources) > 0),
  source_date date NOT NULL,
  accuracy accuracy_class NOT NULL,
  geom geometry(MultiPolygon, 4326) NOT NULL,
  geom_display geometry(MultiPolygon, 4326) NOT NULL,
  label_point geometry(Point, 4326) NOT NULL
);

-- Reference layers that are only displayed: province outline, border, rivers, places...
CREATE TABLE base_features (
  layer text NOT NULL,
  id text NOT NULL,
  name_vi text,
  name_en text,
  properties jsonb NOT NULL DEFAULT '{}',
  sources text[] NOT NULL CHECK (cardinality(sources) > 0),
  source_date date NOT NULL,
  accuracy accuracy_class NOT NULL,
  geom geometry(Geometry, 4326) NOT NULL,
  PRIMARY KEY (layer, id)
);

CREATE INDEX zones_geom_idx ON zones USING gist (geom);
CREATE INDEX border_gates_geom_idx ON border_gates USING gist (geom);
CREATE INDEX border_markers_geom_idx ON border_markers USING gist (geom);
CREATE INDEX projects_geom_idx ON projects USING gist (geom);
CREATE INDEX planning_areas_geom_idx ON planning_areas USING gist (geom);
CREATE INDEX communes_geom_idx ON communes USING gist (geom);
CREATE INDEX communes_geom_display_idx ON communes USING gist (geom_display);
CREATE INDEX communes_label_point_idx ON communes USING gist (label_point);
CREATE INDEX base_features_geom_idx ON base_features USING gist (geom);

-- Every change to a thematic feature: who, when, what before and after.
CREATE TABLE feature_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  table_name text NOT NULL,
  feature_id text NOT NULL,
  version integer NOT NULL,
  action text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  actor text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  before jsonb,
  after jsonb,
  note text
);
CREATE INDEX feature_history_feature_idx ON feature_history (table_name, feature_id, id);

-- Which seed content each seeded feature was last set from, so that a newer seed
-- can update untouched features without overwriting an editor's change.
CREATE TABLE seed_state (
  table_name text NOT NULL,
  feature_id text NOT NULL,
  content_hash text NOT NULL,
  PRIMARY KEY (table_name, feature_id)
);

-- A counter per table, bumped by every write statement (also ones made outside the
-- app) and announced on channel table_revisions as "table:revision" at commit.
-- Servers keep the counters in memory and key response caches and ETags on them,
-- so no request waits on the database to learn that nothing changed.
CREATE TABLE table_revisions (
  table_name text PRIMARY KEY,
  revision bigint NOT NULL
);

CREATE FUNCTION bump_table_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  next_revision bigint;
BEGIN
  INSERT INTO table_revisions (table_name, revision) VALUES (TG_TABLE_NAME, 1)
  ON CONFLICT (table_name) DO UPDATE SET revision = table_revisions.revision + 1
  RETURNING revision INTO next_revision;
  PERFORM pg_notify('table_revisions', TG_TABLE_NAME || ':' || next_revision);
  RETURN NULL;
END
$$;

CREATE TRIGGER zones_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON zones
  FOR EACH STATEMENT EXECUTE FUNCTION bump_table_revision();
CREATE TRIGGER border_gates_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON border_gates
  FOR EACH STATEMENT EXECUTE FUNCTION bump_table_revision();
CREATE TRIGGER border_markers_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON border_markers
  FOR EACH STATEMENT EXECUTE FUNCTION bump_table_revision();
CREATE TRIGGER projects_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON projects
  FOR EACH STATEMENT EXECUTE FUNCTION bump_table_revision();
CREATE TRIGGER planning_areas_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON planning_areas
  FOR EACH STATEMENT EXECUTE FUNCTION bump_table_revision();
CREATE TRIGGER communes_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON communes
  FOR EACH STATEMENT EXECUTE FUNCTION bump_table_revision();
CREATE TRIGGER base_features_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON base_features
  FOR EACH STATEMENT EXECUTE FUNCTION bump_table_revision();
CREATE TRIGGER sources_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sources
  FOR EACH STATEMENT EXECUTE FUNCTION bump_table_revision();
