import { Text } from 'ink';
import type { AdminOverview } from '../services/admin-service.js';
import { num, when } from './format.js';
import { Panel } from './Panel.js';

type Props = Pick<AdminOverview, 'subscriptions' | 'deliveries' | 'next_runs'> & { focused: boolean };

/** Subscriptions by frequency and state, the delivery outbox by state, and the next scheduled runs. */
export function QueuePanel({ subscriptions: s, deliveries: d, next_runs: n, focused }: Props) {
  return (
    <Panel title="Subscriptions & delivery queue" focused={focused} grow>
      <Text wrap="truncate-end">subs    weekly {num(s?.weekly)} · monthly {num(s?.monthly)} · off {num(s?.inactive)} · <Text color={s?.suspended ? 'red' : undefined}>suspended {num(s?.suspended)}</Text></Text>
      <Text wrap="truncate-end">
        outbox  pending <Text color="cyan">{num(d?.pending)}</Text> (due {num(d?.due_now)}) · sending {num(d?.sending)} · failed <Text color={d?.failed ? 'red' : undefined}>{num(d?.failed)}</Text>
      </Text>
      <Text wrap="truncate-end">sent    {num(d?.sent)} · cancelled {num(d?.cancelled)}</Text>
      <Text wrap="truncate-end">next    weekly {when(n?.weekly)} · monthly {when(n?.monthly)}</Text>
    </Panel>
  );
}
