import type { Opportunity } from './results-summary.js';

export const STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'IMPLEMENTED'] as const;
export type Status = (typeof STATUSES)[number];

const ALLOWED: Record<Status, readonly Status[]> = {
  NOT_STARTED: ['IN_PROGRESS', 'IMPLEMENTED'],
  IN_PROGRESS: ['IMPLEMENTED', 'NOT_STARTED'],
  IMPLEMENTED: [],
};

/** `same` is a no-op; `allowed` is a real change; `forbidden` is INVALID_TRANSITION. */
export function classifyTransition(from: Status, to: Status): 'same' | 'allowed' | 'forbidden' {
  if (from === to) return 'same';
  return ALLOWED[from].includes(to) ? 'allowed' : 'forbidden';
}

export type OpportunityProgress = Opportunity & { status: Status; implemented_at: Date | null };

export type ProgressSummary = {
  total_opportunities: number;
  not_started: number;
  in_progress: number;
  implemented: number;
  completion_percentage: number;
};

/** Counts per status; completion is floor(implemented / total * 100). */
export function progressSummary(items: readonly { status: Status }[]): ProgressSummary {
  const count = (s: Status) => items.filter((i) => i.status === s).length;
  const total = items.length;
  const implemented = count('IMPLEMENTED');
  return {
    total_opportunities: total,
    not_started: count('NOT_STARTED'),
    in_progress: count('IN_PROGRESS'),
    implemented,
    completion_percentage: total === 0 ? 0 : Math.floor((implemented / total) * 100),
  };
}
