// The "Data" tab: export any layer in any format (with the fields the user may see);
// for editors, the import wizard (file → preview on the map and report → commit) and
// VN-2000 coordinate lists (paste → converted outline on the map → use it).
import { useState, type FormEvent } from 'react';
import { ApiError, convertParcel, exportUrl, importFile, type ImportReport, type Parcel } from '../api/client.ts';
import type { LayerInfo } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';

type Props = {
  layers: LayerInfo[];
  canEdit: boolean;
  /** What to draw on the map as a preview (imported shapes, a converted parcel). */
  onPreview(features: GeoJSON.Feature[]): void;
  onImported(): void;
  onUseOutline(geometry: GeoJSON.Polygon, target: 'new' | 'selected', layerId: string): void;
  onDrawNew(layerId: string): void;
  hasSelection: boolean;
};

const EXPORTS = [
  ['geojson', 'GeoJSON'],
  ['csv', 'CSV (WKT)'],
  ['csv_lonlat', 'CSV (lon, lat)'],
  ['kml', 'KML'],
  ['kmz', 'KMZ'],
  ['shapefile', 'Shapefile'],
] as const;

// VN-2000 central meridians of Lạng Sơn and its neighbours (Circular 973/2001/TT-TCĐC).
const MERIDIANS = [
  [107.25, '107°15′ — Lạng Sơn'],
  [107.0, '107°00′ — Bắc Giang'],
  [107.75, '107°45′ — Quảng Ninh'],
  [106.5, '106°30′ — Thái Nguyên, Bắc Kạn'],
  [105.75, '105°45′ — Cao Bằng'],
] as const;

export function TransferPanel({ layers, canEdit, onPreview, onImported, onUseOutline, onDrawNew, hasSelection }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const editable = layers.filter((l) => l.editable);
  const [exportLayer, setExportLayer] = useState(editable[0]?.id ?? '');
  const exportInfo = layers.find((l) => l.id === exportLayer);

  const [drawLayer, setDrawLayer] = useState(editable[0]?.id ?? '');
  return (
    <div className="transfer-panel">
      {canEdit && (
        <section aria-labelledby="draw-heading">
          <h2 id="draw-heading">{t('newFeature')}</h2>
          <LayerSelect layers={editable} value={drawLayer} onChange={(id) => setDrawLayer(id)} />{' '}
          <button type="button" onClick={() => onDrawNew(drawLayer)}>
            {t('newFeature')}
          </button>
        </section>
      )}
      <section aria-labelledby="export-heading">
        <h2 id="export-heading">{t('exportTitle')}</h2>
        <LayerSelect layers={layers} value={exportLayer} onChange={(id) => setExportLayer(id)} />
        <p className="export-links">
          {EXPORTS.filter(([f]) => f !== 'csv_lonlat' || exportInfo?.geometryType === 'Point').map(([format, label]) => (
            <a key={format} className="button" href={exportUrl(exportLayer, format)} download>
              {label}
            </a>
          ))}
        </p>
      </section>
      {canEdit && <ImportWizard layers={editable} onPreview={onPreview} onImported={onImported} />}
      {canEdit && <ParcelList layers={editable.filter((l) => l.geometryType === 'MultiPolygon')} onPreview={onPreview} onUse={onUseOutline} hasSelection={hasSelection} />}
    </div>
  );
}

function ImportWizard({ layers, onPreview, onImported }: { layers: LayerInfo[]; onPreview: Props['onPreview']; onImported(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [layer, setLayer] = useState(layers[0]?.id ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [repair, setRepair] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (mode: 'preview' | 'commit') => {
    if (!file) return;
    setBusy(true);
    setMessage(null);
    try {
      const result = await importFile(layer, file, mode, repair);
      setReport(result);
      onPreview(result.rows.filter((r) => r.geometry).map((r) => ({ type: 'Feature', properties: { role: 'measure' }, geometry: r.geometry! })));
      if (result.committed) {
        setMessage(t('importDone', { count: result.counts.create + result.counts.update }));
        onImported();
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.body.rows) setReport(error.body as unknown as ImportReport);
      const text = error.body.message as { vi: string; en: string } | undefined;
      setMessage(text ? text[i18n.lang] : error.status === 422 ? t('importBlocked') : error.detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="import-heading" className="import-wizard">
      <h2 id="import-heading">{t('importTitle')}</h2>
      <LayerSelect layers={layers} value={layer} onChange={(id) => { setLayer(id); setReport(null); }} />
      <label>
        {t('chooseFile')}
        <input type="file" accept=".geojson,.json,.kml,.kmz,.zip,.csv,.txt" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setReport(null); }} />
      </label>
      <label className="hide-toggle">
        <input type="checkbox" checked={repair} onChange={(e) => setRepair(e.target.checked)} /> {t('repairGeometry')}
      </label>
      <div className="form-actions">
        <button type="button" disabled={!file || busy} onClick={() => void run('preview')}>
          {t('preview')}
        </button>
        <button type="button" disabled={!report || report.counts.invalid > 0 || report.committed || busy} onClick={() => void run('commit')}>
          {t('commitImport')}
        </button>
      </div>
      {message && <p role="status" className="form-status">{message}</p>}
      {report && (
        <div className="import-report">
          <p>{t('importCounts', report.counts)}</p>
          {report.ignoredProperties.length > 0 && <p className="small muted">{t('ignoredColumns', { columns: report.ignoredProperties.join(', ') })}</p>}
          {report.warnings.map((w) => (
            <p key={w.en} className="small warning">{w[i18n.lang]}</p>
          ))}
          <ul>
            {report.rows
              .filter((r) => r.errors.length)
              .map((r) => (
                <li key={r.ref}>
                  <strong>{r.ref}</strong>
                  {r.id && ` (${r.id})`}: {r.errors.map((e) => `${e.field}: ${e.message[i18n.lang]}`).join('; ')}
                </li>
              ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function ParcelList({ layers, onPreview, onUse, hasSelection }: { layers: LayerInfo[]; onPreview: Props['onPreview']; onUse: Props['onUseOutline']; hasSelection: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState('');
  const [meridian, setMeridian] = useState(107.25);
  const [layer, setLayer] = useState(layers[0]?.id ?? '');
  const [parcel, setParcel] = useState<Parcel | null>(null);
  const [error, setError] = useState<string | null>(null);

  const convert = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const result = await convertParcel(text, meridian);
      setParcel(result);
      onPreview([
        { type: 'Feature', properties: { role: 'measure' }, geometry: result.geometry },
        ...result.points.map((p) => ({ type: 'Feature' as const, properties: { role: 'vertex' }, geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] } })),
      ]);
    } catch (err) {
      setParcel(null);
      const message = err instanceof ApiError ? (err.body.message as { vi: string; en: string } | undefined) : undefined;
      setError(message ? message[i18n.lang] : (err as Error).message);
    }
  };

  return (
    <section aria-labelledby="vn2000-heading" className="parcel">
      <h2 id="vn2000-heading">{t('vn2000Title')}</h2>
      <form onSubmit={convert}>
        <label>
          {t('vn2000Help')}
          <textarea rows={6} value={text} onChange={(e) => setText(e.target.value)} placeholder={'1  2417000.00  560000.00\n2  2417100.00  560000.00\n3  2417100.00  560100.00'} />
        </label>
        <label>
          {t('centralMeridian')}{' '}
          <select value={meridian} onChange={(e) => setMeridian(Number(e.target.value))}>
            {MERIDIANS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!text.trim()}>
          {t('convert')}
        </button>
      </form>
      {error && <p className="form-error" role="alert">{error}</p>}
      {parcel && (
        <div>
          <p>{t('parcelArea', { plane: i18n.number(parcel.area.plane_m2, 1), ellipsoid: i18n.number(parcel.area.ellipsoid_m2, 1) })}</p>
          {!parcel.valid && <p className="form-error">{t('invalidOutline', { reason: parcel.invalidReason ?? '' })}</p>}
          <table className="small">
            <thead>
              <tr>
                <th>{t('pointNumber')}</th>
                <th>X</th>
                <th>Y</th>
                <th>{t('lonLat')}</th>
              </tr>
            </thead>
            <tbody>
              {parcel.points.map((p) => (
                <tr key={p.no}>
                  <td>{p.no}</td>
                  <td>{i18n.number(p.x, 3)}</td>
                  <td>{i18n.number(p.y, 3)}</td>
                  <td>{`${p.lon.toFixed(7)}, ${p.lat.toFixed(7)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <LayerSelect layers={layers} value={layer} onChange={(id) => setLayer(id)} />
          <div className="form-actions">
            <button type="button" onClick={() => onUse(parcel.geometry, 'new', layer)}>
              {t('useForNew')}
            </button>
            <button type="button" disabled={!hasSelection} onClick={() => onUse(parcel.geometry, 'selected', layer)}>
              {t('useForSelected')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function LayerSelect({ layers, value, onChange }: { layers: LayerInfo[]; value: string; onChange(id: string): void }) {
  const i18n = useI18n();
  return (
    <label>
      {i18n.t('layerLabel')}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {layers.map((l) => (
          <option key={l.id} value={l.id}>
            {i18n.title(l.title)}
          </option>
        ))}
      </select>
    </label>
  );
}
