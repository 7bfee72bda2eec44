import { Text } from 'ink';
import type { SubscriptionSummary } from '../services/support-service.js';
import type { Loaded } from './support-state.js';
import { Panel } from './Panel.js';
import { StaleNote } from './StaleNote.js';
import { StateLabel } from './StateLabel.js';

type Props = { query: string; results: Loaded<SubscriptionSummary[]>; selected: number; limit: number; now: number };

/** `/`: find a subscription by a piece of its email, company name, analysis id or subscription id. */
export function SearchPanel({ query, results, selected, limit, now }: Props) {
  const rows = results.data ?? [];
  const start = Math.max(0, Math.min(selected - limit + 1, rows.length - limit));
  return (
    <Panel title="Search subscriptions: email, company, analysis id or subscription id" focused>
      <Text>
        <Text bold color="cyan">
          /{' '}
        </Text>
        {query}
        <Text inverse> </Text>
        {results.loading ? <Text dimColor> searching…</Text> : null}
      </Text>
      <StaleNote error={results.error} goodAt={results.goodAt} now={now} />
      {query.trim().length < 2 ? <Text dimColor>type at least 2 characters</Text> : null}
      {results.data && query.trim().length >= 2 ? (
        <Text dimColor>
          {rows.length === 0 ? 'no subscription matches' : `${rows.length} match${rows.length === 1 ? '' : 'es'}`}
        </Text>
      ) : null}
      {rows.slice(start, start + limit).map((r, i) => (
        <Text key={r.subscription_id} inverse={start + i === selected} wrap="wrap">
          {r.email} · {r.company_name ?? '—'} · <StateLabel status={r.status} /> · {r.subscription_id}
        </Text>
      ))}
    </Panel>
  );
}
