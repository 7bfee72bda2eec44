import { Text } from 'ink';
import type { AdminOverview } from '../services/admin-service.js';
import { relative, UNKNOWN } from './format.js';
import { Panel } from './Panel.js';

/** `in 4 min`, or `due 2 min ago` when the worker has not picked it up yet. */
const due = (when: string) => (when.endsWith(' ago') ? `due ${when}` : when);

type Props = { retrying: AdminOverview['retrying']; now: string; limit: number; focused: boolean };

/** Deliveries waiting for another attempt: their last error and when the next attempt runs. */
export function RetryingPanel({ retrying, now, limit, focused }: Props) {
  return (
    <Panel title={`Retrying (${retrying ? retrying.length : UNKNOWN})`} focused={focused} color="yellow">
      {retrying === null ? (
        <Text dimColor>{UNKNOWN}</Text>
      ) : retrying.length === 0 ? (
        <Text dimColor>no delivery waiting for a retry</Text>
      ) : null}
      {retrying?.slice(0, limit).map((r) => (
        <Text key={r.id} wrap="truncate-end">
          {r.period_key} · {r.company_name ?? '—'} · attempt {r.attempts + 1} {due(relative(r.next_attempt_at, now))} ·{' '}
          <Text color="yellow">{r.last_error ?? 'no error kept'}</Text>
        </Text>
      ))}
    </Panel>
  );
}
