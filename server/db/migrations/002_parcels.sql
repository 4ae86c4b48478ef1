-- Land parcels (thửa đất): cadastral and land-use plan parcels, 10^5–10^6 polygons,
-- loaded in bulk (server/import/bulk.ts), not edited one by one, so no history.
-- area_m2 is computed on the ellipsoid, never in degrees.
CREATE TABLE parcels (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(id) <= 80),
  map_sheet integer NOT NULL CHECK (map_sheet > 0),
  parcel_no integer NOT NULL CHECK (parcel_no > 0),
  -- Land-use code of Circular 08/2024/TT-BTNMT (e.g. LUC rice land, SKK industrial-park land).
  land_use text NOT NULL CHECK (land_use ~ '^[A-Z]{3}$'),
  registered_on date,
  holder text,
  sources text[] NOT NULL CHECK (cardinality(sources) > 0),
  source_date date NOT NULL,
  accuracy accuracy_class NOT NULL,
  geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
  area_m2 numeric GENERATED ALWAYS AS (round(ST_Area(geom::geography)::numeric, 1)) STORED,
  UNIQUE (map_sheet, parcel_no)
);

CREATE INDEX parcels_geom_idx ON parcels USING gist (geom);

CREATE TRIGGER parcels_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON parcels
  FOR EACH STATEMENT EXECUTE FUNCTION bump_table_revision();
