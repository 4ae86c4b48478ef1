import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../scripts/geodata/build-seed-layers.ts';
import { readCatalogue } from '../../../scripts/geodata/catalogue.ts';
import { NO_DATA, dataStatusReadme, geometryLabel } from '../../../scripts/geodata/data-status.ts';

describe('geodata/README.md', () => {
  const catalogue = readCatalogue(repoRoot);
  const readme = dataStatusReadme(catalogue);
  const cells = (name: string) =>
    readme
      .split('\n')
      .find((line) => line.startsWith(`| ${name} |`))!
      .split(' | ')
      .map((c) => c.replace(/^\| | \|$/g, ''));

  it('shows the legal area of each zone, and "no data" where it is unknown (never the symbol\'s 4 ha)', () => {
    for (const zone of catalogue.seeded.zones) {
      expect(cells(zone.name_vi)[3], zone.id).toBe(zone.area_ha === null ? NO_DATA : String(zone.area_ha));
    }
  });

  it('says when a drawing is only a symbol, and how far off a position may be', () => {
    expect(geometryLabel({ accuracy: 'indicative', geometry_note: 'KÝ HIỆU, KHÔNG PHẢI RANH GIỚI: … sai lệch có thể >5 km.' })).toBe(
      'indicative: symbol only, not an outline (error >5 km)',
    );
    expect(geometryLabel({ accuracy: 'indicative', geometry_note: 'VỊ TRÍ PHỎNG ĐOÁN: … Sai lệch có thể tới ~12 km.' })).toBe(
      'indicative: position guessed (error ~12 km)',
    );
    expect(geometryLabel({ accuracy: 'digitized', geometry_note: 'Tọa độ lấy nguyên từ Wikipedia.' })).toBe('digitized');
  });

  it('lists the places each main road is drawn through', () => {
    expect(cells('QL4A')[2]).toBe('Đồng Đăng → Na Sầm → Thất Khê → province edge towards Đông Khê');
  });
});
