import { describe, expect, it } from 'vitest';
import { ANALYSIS_BUDGET, checkOriginFeature, checkOriginLayer, checkTargets } from '../../../server/analysis/budget.ts';
import { HttpError } from '../../../server/http/errors.ts';
import { findLayer } from '../../../server/layers/registry.ts';

const communes = findLayer('communes')!;
const refusal = (check: () => unknown) => {
  try {
    check();
  } catch (error) {
    return error as HttpError;
  }
  return undefined;
};

describe('analysis budget', () => {
  it('measures from a whole layer up to the budget, and refuses more vertices or features with what to do instead', () => {
    expect(refusal(() => checkOriginLayer(communes, { features: 65, vertices: ANALYSIS_BUDGET.originVertices }))).toBeUndefined();
    const vertices = refusal(() => checkOriginLayer(communes, { features: 65, vertices: 182_294 }))!;
    expect(vertices).toBeInstanceOf(HttpError);
    expect([vertices.status, vertices.code]).toEqual([400, 'origin_too_large']);
    expect(vertices.detail).toMatch(/Layer 'communes' is too large .*\(65 features with 182,294 vertices; at most 1,000 features and 50,000 vertices\)\. Choose one feature \(from=communes\/<id>\) or a point \(from=lon,lat\)\./);
    expect(refusal(() => checkOriginLayer(communes, { features: ANALYSIS_BUDGET.originFeatures + 1, vertices: 5_000 }))!.detail).toMatch(/more than 1,000 features/);
  });

  it('refuses one feature with too many vertices', () => {
    expect(refusal(() => checkOriginFeature(communes, '06625', ANALYSIS_BUDGET.originVertices))).toBeUndefined();
    expect(refusal(() => checkOriginFeature(communes, '06625', 60_000))!.detail).toMatch(/Feature 'communes\/06625' has 60,000 vertices.*Choose a point/);
  });

  it('adds up the layers searched', () => {
    const half = { features: 10, vertices: ANALYSIS_BUDGET.targetVertices / 2 };
    expect(checkTargets([communes, communes], [half, half])).toEqual({ features: 20, vertices: ANALYSIS_BUDGET.targetVertices });
    const refused = refusal(() => checkTargets([communes, communes, communes], [half, half, half]))!;
    expect([refused.status, refused.code]).toEqual([400, 'too_many_targets']);
    expect(refused.detail).toMatch(/\(communes, communes, communes\) are too large to search at once/);
  });
});
