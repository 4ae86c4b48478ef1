import { gateIconUrl } from '../map/symbols.ts';
import type { SwatchKind } from './legend.ts';

const INK = '#1f1f1f';

/** A small picture of one map symbol, drawn with the map's own colours and dashes. */
export function Swatch({ kind, color, shape, opacity = 0.55 }: { kind: SwatchKind; color: string; shape?: string; opacity?: number }) {
  if (kind === 'icon' && shape) return <img className="swatch" src={gateIconUrl(shape, color)} width={18} height={18} alt="" />;
  return (
    <svg className="swatch" width="22" height="16" viewBox="0 0 22 16" aria-hidden="true">
      {kind === 'fill' && <rect x="2" y="2" width="18" height="12" fill={color} fillOpacity={opacity} stroke={color} strokeWidth="2" />}
      {kind === 'hatch' && (
        <>
          <defs>
            <pattern id={`h-${color}`} width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <line x1="0" y1="0" x2="0" y2="5" stroke={color} strokeWidth="1.4" />
            </pattern>
          </defs>
          <rect x="2" y="2" width="18" height="12" fill={`url(#h-${color})`} stroke={color} strokeWidth="2" strokeDasharray="5 3" />
        </>
      )}
      {kind === 'line' && <line x1="1" y1="8" x2="21" y2="8" stroke={color} strokeWidth="3.5" strokeLinecap="round" />}
      {kind === 'line-dashed' && <line x1="1" y1="8" x2="21" y2="8" stroke={color} strokeWidth="3.5" strokeDasharray="6 3.6" />}
      {kind === 'circle' && <circle cx="11" cy="8" r="5.5" fill={color} stroke={INK} strokeWidth="1.2" />}
      {kind === 'label' && (
        <text x="11" y="12" textAnchor="middle" fontSize="11" fontWeight="600" fill={color}>
          Aa
        </text>
      )}
    </svg>
  );
}

export function DashedOutlineSwatch() {
  return (
    <svg className="swatch" width="22" height="16" viewBox="0 0 22 16" aria-hidden="true">
      <rect x="2" y="2" width="18" height="12" fill="none" stroke={INK} strokeWidth="2" strokeDasharray="5 3" />
    </svg>
  );
}
