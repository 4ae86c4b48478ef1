// Public paths of a layer's tiles, shared by the tile routes, /api/layers and OGC links.
import type { LayerSpec } from '../layers/registry.ts';

export const tileJsonPath = (layer: LayerSpec) => `/tiles/${layer.id}.json`;
export const tileTemplatePath = (layer: LayerSpec) => `/tiles/${layer.id}/{z}/{x}/{y}.mvt`;
