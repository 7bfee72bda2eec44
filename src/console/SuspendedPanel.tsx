import { Text } from 'ink';
import type { AdminOverview } from '../services/admin-service.js';
import { short } from './format.js';
import { Panel } from './Panel.js';

/** Subscriptions suspended after hard bounces: an operator reactivates them once the address is fixed. */
export function SuspendedPanel({
  suspended,
  limit,
}: {
  suspended: NonNullable<AdminOverview['suspended']>;
  limit: number;
}) {
  return (
    <Panel title={`Suspended after hard bounces (${suspended.length})`} color="magenta">
      {suspended.slice(0, limit).map((s) => (
        <Text key={s.subscription_id} wrap="truncate-end">
          {short(s.suspended_at)} · {s.company_name ?? '—'} · {s.email} · {s.bounce_count} bounces · visionaire
          subscriptions reactivate {s.subscription_id}
        </Text>
      ))}
    </Panel>
  );
}
