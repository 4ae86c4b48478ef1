import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationsDir } from '../../../server/db/migrate.ts';
import { findLayer, layers } from '../../../server/layers/registry.ts';
import { tables } from '../../../server/layers/tables.ts';
import { accuracyClasses, statuses, vocabularies } from '../../../server/layers/vocabulary.ts';
import { statusValues, accuracyValues } from '../../../scripts/geodata/catalogue-schema.ts';

const schemaSql = fs
  .readdirSync(migrationsDir)
  .filter((f) => f.endsWith('.sql'))
  .map((f) => fs.readFileSync(path.join(migrationsDir, f), 'utf8'))
  .join('\n');

describe('layer registry', () => {
  it('has unique ids in snake_case', () => {
    const ids = layers.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z_]*$/);
    expect(findLayer('industrial_parks')?.table.name).toBe('zones');
    expect(findLayer('nope')).toBeUndefined();
  });

  it('filters only on columns its table has, and draws a geometry column that exists', () => {
    for (const layer of layers) {
      const columns = layer.table.fields.map((f) => f.name);
      if (layer.where && layer.table.name !== 'base_features') expect(columns, layer.id).toContain(layer.where.column);
      expect(schemaSql, layer.id).toMatch(new RegExp(`\\b${layer.geometryColumn} geometry\\(`));
    }
  });

  it('puts in tiles and filters dates only on public scalar fields of the layer’s table', () => {
    for (const layer of layers) {
      const scalar = (name: string) => layer.table.fields.find((f) => f.name === name && f.visibility === 'public' && !f.type.endsWith(']') && f.type !== 'json');
      for (const name of layer.tileProperties ?? []) expect(scalar(name), `${layer.id}.${name}`).toBeDefined();
      if (layer.temporalField) expect(scalar(layer.temporalField)?.type, layer.id).toMatch(/^date/);
    }
  });

  it('styles by status only where the table has a status', () => {
    for (const layer of layers.filter((l) => l.style.colorBy === 'status')) {
      expect(layer.table.fields.some((f) => f.name === 'status'), layer.id).toBe(true);
    }
  });

  it('declares every field of each thematic table with both titles', () => {
    for (const table of Object.values(tables)) {
      for (const field of table.fields) {
        expect(field.title.vi, `${table.name}.${field.name}`).not.toBe('');
        expect(field.title.en, `${table.name}.${field.name}`).not.toBe('');
        expect(schemaSql, `${table.name}.${field.name}`).toMatch(new RegExp(`\\b${field.name}\\b`));
      }
    }
  });

  it('keeps internal notes internal', () => {
    for (const table of Object.values(tables).filter((t) => t.thematic)) {
      expect(table.fields.find((f) => f.name === 'internal_notes')?.visibility).toBe('internal');
    }
  });
});

describe('vocabularies', () => {
  const domainValues = (domain: string) => {
    const match = schemaSql.match(new RegExp(`CREATE DOMAIN ${domain} AS text CHECK \\(VALUE IN \\(([^)]*)\\)\\)`));
    return [...match![1]!.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
  };

  it('are the same lists in the database, the API and the seed catalogue', () => {
    expect(domainValues('feature_status')).toEqual(statuses.map((s) => s.id));
    expect(domainValues('accuracy_class')).toEqual(accuracyClasses.map((s) => s.id));
    expect([...statusValues]).toEqual(statuses.map((s) => s.id));
    expect([...accuracyValues]).toEqual(accuracyClasses.map((s) => s.id));
  });

  it('have distinct status colours and titles in both languages with diacritics', () => {
    expect(new Set(statuses.map((s) => s.color)).size).toBe(statuses.length);
    for (const list of Object.values(vocabularies)) {
      for (const term of list) {
        expect(term.title.vi).not.toBe('');
        expect(term.title.en).not.toBe('');
      }
    }
    expect(statuses.find((s) => s.id === 'site_clearance')!.title.vi).toBe('Giải phóng mặt bằng');
  });
});
