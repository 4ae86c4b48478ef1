// The dashboard: land by status and kind, occupancy per zone, vacant land ranking and
// expressway km by status. A bar leads to its features on the map. Loaded only when
// opened (Chart.js stays out of the map's bundle).
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip, Legend, type ChartConfiguration } from 'chart.js';
import { useEffect, useMemo, useRef } from 'react';
import type { LayerInfo, MapFeature, MapFeatureCollection, VocabularyMap } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { Selection } from '../state/url-state.ts';
import { kmByStatus, landByStatusAndKind, ranking } from './stats.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

type Props = {
  layers: LayerInfo[];
  data: Record<string, MapFeatureCollection | undefined>;
  vocabularies: VocabularyMap;
  onClose(): void;
  onChooseZone(selection: Selection): void;
  onFilterZones(status: string, kind: string): void;
  onHighlight(selections: Selection[]): void;
};

type Bars = { labels: string[]; datasets: { label: string; data: number[]; colors: string[] }[]; horizontal?: boolean; unit: string };

function BarChart({ bars, label, onBar }: { bars: Bars; label: string; onBar(dataset: number, index: number): void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const onBarRef = useRef(onBar);
  onBarRef.current = onBar;
  useEffect(() => {
    const config: ChartConfiguration<'bar'> = {
      type: 'bar',
      data: {
        labels: bars.labels,
        datasets: bars.datasets.map((d) => ({ label: d.label, data: d.data, backgroundColor: d.colors, borderColor: '#1f1f1f', borderWidth: 1 })),
      },
      options: {
        indexAxis: bars.horizontal ? 'y' : 'x',
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true, ticks: { font: { family: 'Noto Sans' } } }, y: { stacked: true, ticks: { font: { family: 'Noto Sans' } } } },
        // Bars carry the status colours; a Chart.js legend would show only the first one.
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${c.formattedValue} ${bars.unit}` } } },
        onClick: (_event, elements) => {
          const hit = elements[0];
          if (hit) onBarRef.current(hit.datasetIndex, hit.index);
        },
        onHover: (event, elements) => {
          const target = event.native?.target as HTMLElement | undefined;
          if (target) target.style.cursor = elements.length ? 'pointer' : 'default';
        },
      },
    };
    const chart = new Chart(canvas.current!, config);
    return () => chart.destroy();
  }, [bars]);
  // The canvas is for the eye; the same figures as a table for screen readers.
  return (
    <>
      <div className="chart">
        <canvas ref={canvas} role="img" aria-label={label} />
      </div>
      <table className="visually-hidden">
        <caption>{label}</caption>
        <tbody>
          {bars.labels.map((l, i) => (
            <tr key={l}>
              <th scope="row">{l}</th>
              {bars.datasets.map((d) => (
                <td key={d.label}>
                  {d.data[i]} {bars.unit}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export default function Dashboard({ layers, data, vocabularies, onClose, onChooseZone, onFilterZones, onHighlight }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => dialog.current?.showModal(), []);

  const zoneLayers = layers.filter((l) => l.fields.some((f) => f.vocabulary === 'zone_kind'));
  const zones: (MapFeature & { layer: string })[] = zoneLayers.flatMap((l) => (data[l.id]?.features ?? []).map((f) => ({ ...f, layer: l.id })));
  const roads = data.expressways?.features ?? [];
  const name = (z: MapFeature) => String(i18n.lang === 'en' ? (z.properties.name_en ?? z.properties.name_vi) : z.properties.name_vi);
  const layerOf = (id: string) => zones.find((z) => z.id === id)!.layer;

  const land = useMemo(() => landByStatusAndKind(zones, vocabularies.status, vocabularies.zone_kind), [zones, vocabularies]);
  const occupancy = useMemo(() => ranking(zones, 'occupancy_pct', name), [zones, i18n.lang]);
  const vacant = useMemo(() => ranking(zones, 'vacant_ha', name), [zones, i18n.lang]);
  const km = useMemo(() => kmByStatus(roads, vocabularies.status), [roads, vocabularies]);
  const unknownArea = zones.filter((z) => typeof z.properties.area_ha !== 'number').length;

  const landBars = useMemo<Bars>(
    () => ({
      labels: land.map((r) => i18n.title(r.status.title)),
      // Same status colours as the map; clusters drawn lighter than parks.
      datasets: vocabularies.zone_kind.map((kind, k) => ({
        label: i18n.title(kind.title),
        data: land.map((r) => Math.round(r.byKind[k]!.ha * 100) / 100),
        colors: land.map((r) => `${r.status.color}${k === 0 ? 'ff' : '99'}`),
      })),
      unit: 'ha',
    }),
    [land, i18n, vocabularies],
  );
  const rankBars = (rows: { name: string; value: number }[], unit: string, color: string): Bars => ({
    labels: rows.map((r) => r.name),
    datasets: [{ label: unit, data: rows.map((r) => r.value), colors: rows.map(() => color) }],
    horizontal: true,
    unit,
  });
  const kmBars = useMemo<Bars>(
    () => ({
      labels: km.map((r) => i18n.title(r.status.title)),
      datasets: [{ label: 'km', data: km.map((r) => r.km), colors: km.map((r) => r.status.color!) }],
      unit: 'km',
    }),
    [km, i18n],
  );

  const empty = (text: string) => <p className="chart-empty muted">{text}</p>;

  return (
    <dialog ref={dialog} className="dashboard" aria-labelledby="dashboard-title" onClose={onClose}>
      <header>
        <h2 id="dashboard-title">{t('dashboard')}</h2>
        <button type="button" onClick={() => dialog.current?.close()} aria-label={t('close')}>
          ×
        </button>
      </header>
      <div className="charts">
        <figure>
          <figcaption>{t('chartLandByStatus')}</figcaption>
          <BarChart
            bars={landBars}
            label={t('chartLandByStatus')}
            onBar={(dataset, index) => {
              onFilterZones(land[index]!.status.id, vocabularies.zone_kind[dataset]!.id);
              dialog.current?.close();
            }}
          />
          <p className="small muted">{t('chartKindShades')}</p>
          {unknownArea > 0 && <p className="small muted">{t('chartAreaUnknown', { count: unknownArea })}</p>}
        </figure>
        <figure>
          <figcaption>{t('chartOccupancy')}</figcaption>
          {occupancy.length
            ? <BarChart bars={rankBars(occupancy, '%', '#009E73')} label={t('chartOccupancy')} onBar={(_d, i) => { onChooseZone({ layer: layerOf(occupancy[i]!.id), id: occupancy[i]!.id }); dialog.current?.close(); }} />
            : empty(t('chartNoOccupancy'))}
        </figure>
        <figure>
          <figcaption>{t('chartVacant')}</figcaption>
          {vacant.length
            ? <BarChart bars={rankBars(vacant, 'ha', '#0072B2')} label={t('chartVacant')} onBar={(_d, i) => { onChooseZone({ layer: layerOf(vacant[i]!.id), id: vacant[i]!.id }); dialog.current?.close(); }} />
            : empty(t('chartNoVacant'))}
        </figure>
        <figure>
          <figcaption>{t('chartExpresswayKm')}</figcaption>
          <BarChart
            bars={kmBars}
            label={t('chartExpresswayKm')}
            onBar={(_d, i) => {
              onHighlight(km[i]!.ids.map((id) => ({ layer: 'expressways', id })));
              dialog.current?.close();
            }}
          />
          <p className="small muted">{t('chartKmNote')}</p>
        </figure>
      </div>
    </dialog>
  );
}
