// The classification the province ordered (seed 001, Dec 2025): every industrial park
// and cluster in one of two groups —
//   (a) technical infrastructure complete, and filled or attracting secondary investors;
//   (b) still investing to complete technical infrastructure —
// derived from the data by ONE rule (documented in docs/inventory.md):
//   status 'operating'                                      → (a)
//   status 'approved' | 'site_clearance' | 'under_construction' | 'suspended' → (b)
//   status 'proposed' | 'planned'  (not established yet)    → (c), listed apart
// Within (a): 'filled' when occupancy is known and ≥ 100 %, otherwise 'attracting'
// (with 'occupancy unknown' said plainly). A suspended project is still (b): its
// infrastructure is not complete; it is flagged.
import type { Status } from '../layers/vocabulary.ts';

export type Group = 'a' | 'b' | 'c';
export type Stage = 'filled' | 'attracting' | 'attracting_occupancy_unknown' | 'investing' | 'suspended' | 'not_established';

export function classify(status: Status, occupancyPct: number | null): { group: Group; stage: Stage } {
  switch (status) {
    case 'operating':
      if (occupancyPct === null) return { group: 'a', stage: 'attracting_occupancy_unknown' };
      return { group: 'a', stage: occupancyPct >= 100 ? 'filled' : 'attracting' };
    case 'suspended':
      return { group: 'b', stage: 'suspended' };
    case 'approved':
    case 'site_clearance':
    case 'under_construction':
      return { group: 'b', stage: 'investing' };
    case 'proposed':
    case 'planned':
      return { group: 'c', stage: 'not_established' };
  }
}

export const groups: { id: Group; title: { vi: string; en: string } }[] = [
  {
    id: 'a',
    title: {
      vi: 'Nhóm A — Đã hoàn thành hạ tầng kỹ thuật và đã lấp đầy hoặc đang thu hút nhà đầu tư thứ cấp',
      en: 'Group A — Infrastructure complete; filled or attracting secondary investors',
    },
  },
  {
    id: 'b',
    title: { vi: 'Nhóm B — Đang đầu tư hoàn thiện hạ tầng kỹ thuật', en: 'Group B — Still investing to complete infrastructure' },
  },
  {
    id: 'c',
    title: { vi: 'Chưa thành lập (mới trong quy hoạch, đề xuất)', en: 'Not yet established (planned or proposed)' },
  },
];

export const stages: Record<Stage, { vi: string; en: string }> = {
  filled: { vi: 'Đã lấp đầy', en: 'Filled' },
  attracting: { vi: 'Đang thu hút nhà đầu tư thứ cấp', en: 'Attracting secondary investors' },
  attracting_occupancy_unknown: { vi: 'Đang thu hút nhà đầu tư (chưa có số liệu lấp đầy)', en: 'Attracting investors (occupancy not known)' },
  investing: { vi: 'Đang đầu tư hạ tầng', en: 'Investing in infrastructure' },
  suspended: { vi: 'Tạm dừng', en: 'Suspended' },
  not_established: { vi: 'Chưa thành lập', en: 'Not established' },
};
