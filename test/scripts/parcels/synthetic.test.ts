import { describe, expect, it } from 'vitest';
import { syntheticParcels, type Ring } from '../../../scripts/parcels/synthetic.ts';

// An L-shaped "province": the notch must stay empty.
const lShape: Ring[] = [[[0, 0], [0.2, 0], [0.2, 0.1], [0.1, 0.1], [0.1, 0.2], [0, 0.2], [0, 0]]];
const all = (options: Parameters<typeof syntheticParcels>[0]) => [...syntheticParcels(options)].flat();

describe('synthetic parcels', () => {
  it('makes exactly the number asked for, in batches, with unique ids', () => {
    const batches = [...syntheticParcels({ count: 250, rings: lShape, batchSize: 100 })];
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    const ids = batches.flat().map((p) => p.id);
    expect(new Set(ids).size).toBe(250);
  });

  it('keeps every corner inside the outline, none in its notch', () => {
    for (const parcel of all({ count: 300, rings: lShape })) {
      for (const [x, y] of (parcel.geometry.coordinates as number[][][])[0]!) {
        expect(x! >= 0 && x! <= 0.2 && y! >= 0 && y! <= 0.2).toBe(true);
        expect(x! > 0.1 && y! > 0.1, `${parcel.id} (${x}, ${y})`).toBe(false);
      }
    }
  });

  it('draws closed, counter-clockwise rings', () => {
    for (const parcel of all({ count: 50, rings: lShape })) {
      const ring = (parcel.geometry.coordinates as number[][][])[0]!;
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      const twiceArea = ring.slice(1).reduce((sum, [x, y], i) => sum + ring[i]![0]! * y! - x! * ring[i]![1]!, 0);
      expect(twiceArea).toBeGreaterThan(0);
    }
  });

  it('is the same for the same seed, different for another', () => {
    const a = all({ count: 20, rings: lShape, seed: 7 });
    expect(all({ count: 20, rings: lShape, seed: 7 })).toEqual(a);
    expect(all({ count: 20, rings: lShape, seed: 8 })).not.toEqual(a);
  });

  it('says it is synthetic', () => {
    const [parcel] = all({ count: 1, rings: lShape });
    expect(parcel!.properties).toMatchObject({ sources: ['SYNTHETIC-PARCELS'], accuracy: 'indicative' });
  });
});
