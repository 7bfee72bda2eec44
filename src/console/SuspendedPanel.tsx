import { Text } from 'ink';
import type { AdminOverview } from '../services/admin-service.js';
import { short, UNKNOWN } from './format.js';
import { Panel } from './Panel.js';

type Props = {
  suspended: AdminOverview['suspended'];
  /** All suspensions, when the list holds only the newest. */
  total: number | null;
  limit: number;
  selected: number | null;
  focused: boolean;
};

/** Subscriptions suspended after hard bounces: enter opens one, where `a` reactivates it. */
export function SuspendedPanel({ suspended, total, limit, selected, focused }: Props) {
  const start =
    selected === null ? 0 : Math.max(0, Math.min(selected - limit + 1, suspended ? suspended.length - limit : 0));
  return (
    <Panel
      title={`Suspended after hard bounces (${total ?? suspended?.length ?? UNKNOWN})`}
      focused={focused}
      color="magenta"
    >
      {suspended === null ? (
        <Text dimColor>{UNKNOWN}</Text>
      ) : suspended.length === 0 ? (
        <Text color="green">No suspended subscription.</Text>
      ) : null}
      {suspended?.slice(start, start + limit).map((s, i) => (
        <Text key={s.subscription_id} wrap="truncate-end" inverse={selected === start + i}>
          {short(s.suspended_at)} · {s.company_name ?? '—'} · {s.bounce_count} bounces · {s.subscription_id} · {s.email}
        </Text>
      ))}
    </Panel>
  );
}
