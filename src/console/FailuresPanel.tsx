import { Text } from 'ink';
import type { FailureView } from '../services/admin-service.js';
import { short, UNKNOWN } from './format.js';
import { Panel } from './Panel.js';

type Props = { failures: FailureView[] | null; limit: number; selected: number | null; focused: boolean };

/** Deliveries that gave up: company, period, attempts, when, and the error kept. */
export function FailuresPanel({ failures, limit, selected, focused }: Props) {
  const start =
    selected === null ? 0 : Math.max(0, Math.min(selected - limit + 1, failures ? failures.length - limit : 0));
  return (
    <Panel
      title={`Failed deliveries (${failures ? failures.length : UNKNOWN})`}
      focused={focused}
      color={failures?.length ? 'red' : undefined}
    >
      {failures === null ? (
        <Text dimColor>{UNKNOWN}</Text>
      ) : failures.length === 0 ? (
        <Text color="green">No failed deliveries.</Text>
      ) : null}
      {failures?.slice(start, start + limit).map((f, i) => (
        <Text key={f.id} wrap="truncate-end" inverse={selected === start + i}>
          {f.period_key} · {f.company_name ?? '—'} · {f.attempts}× · {short(f.failed_at)}
          {f.subscription_state === 'active' ? '' : <Text color="magenta"> · {f.subscription_state}</Text>} ·{' '}
          <Text color="red">{f.last_error ?? 'no error kept'}</Text> · {f.email}
        </Text>
      ))}
    </Panel>
  );
}
