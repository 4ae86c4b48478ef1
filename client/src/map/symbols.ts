// Symbols drawn on a canvas: border-gate icons (one shape per gate type, filled with
// the status colour) and the hatch pattern of planning areas. The legend draws the
// very same images, so it shows exactly what is on the map.
export const ICON_SIZE = 24;

export type GateShape = 'international' | 'main' | 'secondary' | 'opening';

// CPU-backed canvases: their pixels are read back (by MapLibre and for the legend),
// which on a GPU-backed canvas costs a slow round trip each time.
function canvas(size: number): [HTMLCanvasElement, CanvasRenderingContext2D] {
  const c = document.createElement('canvas');
  c.width = size;
  c.height = size;
  return [c, c.getContext('2d', { willReadFrequently: true })!];
}

function traceGate(ctx: CanvasRenderingContext2D, shape: string, size: number) {
  const mid = size / 2;
  ctx.beginPath();
  switch (shape) {
    case 'international': {
      // A five-pointed star: the highest rank of gate.
      for (let i = 0; i < 10; i++) {
        const r = i % 2 === 0 ? size * 0.46 : size * 0.2;
        const a = (Math.PI / 5) * i - Math.PI / 2;
        ctx.lineTo(mid + r * Math.cos(a), mid + r * Math.sin(a));
      }
      break;
    }
    case 'main':
      ctx.rect(size * 0.18, size * 0.18, size * 0.64, size * 0.64);
      break;
    case 'secondary':
      ctx.moveTo(mid, size * 0.12);
      ctx.lineTo(size * 0.88, mid);
      ctx.lineTo(mid, size * 0.88);
      ctx.lineTo(size * 0.12, mid);
      break;
    default:
      ctx.arc(mid, mid, size * 0.24, 0, Math.PI * 2);
  }
  ctx.closePath();
}

/** A gate icon at the device pixel ratio (sharp on tablets). */
export function gateIcon(shape: string, color: string, pixelRatio = 1): HTMLCanvasElement {
  const size = Math.round(ICON_SIZE * pixelRatio);
  const [c, ctx] = canvas(size);
  traceGate(ctx, shape, size);
  ctx.fillStyle = color;
  ctx.fill();
  ctx.lineJoin = 'round';
  ctx.lineWidth = 2 * pixelRatio;
  ctx.strokeStyle = '#1f1f1f';
  ctx.stroke();
  return c;
}

export const gateIconId = (shape: string, status: string) => `gate-${shape}-${status}`;

/** Diagonal hatching, dark enough to survive a black-and-white print. */
export function hatchPattern(color: string, pixelRatio = 1): HTMLCanvasElement {
  const size = Math.round(10 * pixelRatio);
  const [c, ctx] = canvas(size);
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.4 * pixelRatio;
  ctx.beginPath();
  for (const offset of [-size, 0, size]) {
    ctx.moveTo(offset, size);
    ctx.lineTo(offset + size, 0);
  }
  ctx.stroke();
  return c;
}

export const hatchId = (color: string) => `hatch-${color.replace('#', '')}`;

export function imageData(source: HTMLCanvasElement): ImageData {
  return source.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, source.width, source.height);
}

const dataUrls = new Map<string, string>();

/** A gate icon as an image URL for the legend, drawn once per shape and colour. */
export function gateIconUrl(shape: string, color: string): string {
  const key = `${shape}|${color}`;
  let url = dataUrls.get(key);
  if (!url) {
    url = gateIcon(shape, color, 2).toDataURL();
    dataUrls.set(key, url);
  }
  return url;
}
