// State of the analysis tools (within-radius search, measurement, point coordinates)
// and what they draw on the map, kept in one place because map clicks drive them.
import { useCallback, useMemo, useState } from 'react';
import { fetchPoint, fetchWithin, type PointInfo, type WithinResult } from '../api/client.ts';
import type { LonLat } from './measure.ts';

export type Tool = 'line' | 'area' | 'point' | 'origin' | null;

export const PICKED_POINT = 'point';

export type Analysis = ReturnType<typeof useAnalysis>;

export function useAnalysis() {
  const [tool, setToolState] = useState<Tool>(null);
  const [points, setPoints] = useState<LonLat[]>([]);
  const [finished, setFinished] = useState(false);
  const [pointInfo, setPointInfo] = useState<PointInfo | null>(null);
  const [origin, setOrigin] = useState('border_gates/cua-khau-huu-nghi');
  const [pickedOrigin, setPickedOrigin] = useState<LonLat | null>(null);
  const [radiusKm, setRadiusKm] = useState(30);
  const [within, setWithin] = useState<WithinResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const setTool = useCallback((next: Tool) => {
    setToolState(next);
    setPoints([]);
    setFinished(false);
    setPointInfo(null);
  }, []);

  const runWithin = useCallback(
    async (from = origin === PICKED_POINT && pickedOrigin ? pickedOrigin.join(',') : origin, radius = radiusKm) => {
      setError(null);
      try {
        setWithin(await fetchWithin(from, radius));
      } catch (e) {
        setWithin(null);
        setError((e as Error).message);
      }
    },
    [origin, pickedOrigin, radiusKm],
  );

  const onMapClick = useCallback(
    (at: LonLat) => {
      if (tool === 'origin') {
        setPickedOrigin(at);
        setToolState(null);
        void runWithin(at.join(','));
      } else if (tool === 'point') {
        setPoints([at]);
        fetchPoint(at[0], at[1]).then(setPointInfo, () => setPointInfo(null));
      } else if (tool === 'line' || tool === 'area') {
        setPoints((current) => (finished ? [at] : [...current, at]));
        setFinished(false);
      }
    },
    [tool, finished, runWithin],
  );

  const clear = useCallback(() => {
    setWithin(null);
    setPickedOrigin(null);
    setPoints([]);
    setFinished(false);
    setPointInfo(null);
    setToolState(null);
  }, []);

  // What the tools draw: the search buffer and origin, the measured line or polygon.
  const overlay = useMemo((): GeoJSON.FeatureCollection => {
    const features: GeoJSON.Feature[] = [];
    if (within) features.push({ ...within.buffer, properties: { role: 'buffer' } });
    if (pickedOrigin) features.push({ type: 'Feature', properties: { role: 'origin' }, geometry: { type: 'Point', coordinates: pickedOrigin } });
    if (tool === 'area' && points.length >= 3) {
      features.push({ type: 'Feature', properties: { role: 'measure' }, geometry: { type: 'Polygon', coordinates: [[...points, points[0]!]] } });
    } else if (points.length >= 2) {
      features.push({ type: 'Feature', properties: { role: 'measure' }, geometry: { type: 'LineString', coordinates: points } });
    }
    for (const p of points) features.push({ type: 'Feature', properties: { role: 'vertex' }, geometry: { type: 'Point', coordinates: p } });
    return { type: 'FeatureCollection', features };
  }, [within, pickedOrigin, tool, points]);

  return {
    tool,
    setTool,
    points,
    finished,
    // A double-click first adds its two clicks as points: drop the repeats.
    finish: () => {
      setPoints((current) => current.filter((p, i) => i === 0 || p[0] !== current[i - 1]![0] || p[1] !== current[i - 1]![1]));
      setFinished(true);
    },
    pointInfo,
    origin,
    setOrigin,
    pickedOrigin,
    radiusKm,
    setRadiusKm,
    within,
    error,
    runWithin,
    onMapClick,
    clear,
    overlay,
  };
}
