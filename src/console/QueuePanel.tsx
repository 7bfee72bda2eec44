import { Text } from 'ink';
import type { AdminOverview } from '../services/admin-service.js';
import { num, short } from './format.js';
import { Panel } from './Panel.js';

type Props = Pick<AdminOverview, 'subscriptions' | 'deliveries' | 'next_runs'> & { focused: boolean };

/** Subscriptions by frequency and state (awaiting confirmation: pending double opt-in), the delivery outbox by state, and the next scheduled runs. */
export function QueuePanel({ subscriptions: s, deliveries: d, next_runs: n, focused }: Props) {
  return (
    <Panel title="Subscriptions & delivery queue" focused={focused} grow>
      <Text wrap="truncate-end">
        weekly {num(s?.weekly)} · monthly {num(s?.monthly)} · off {num(s?.inactive)}
      </Text>
      <Text wrap="truncate-end">
        <Text color={s?.awaiting_confirmation ? 'cyan' : undefined}>
          awaiting confirmation {num(s?.awaiting_confirmation)}
        </Text>{' '}
        · <Text color={s?.suspended ? 'magenta' : undefined}>suspended {num(s?.suspended)}</Text>
      </Text>
      <Text wrap="truncate-end">
        pending <Text color="cyan">{num(d?.pending)}</Text> (due {num(d?.due_now)}) · failed{' '}
        <Text color={d?.failed ? 'red' : undefined}>{num(d?.failed)}</Text> · sending {num(d?.sending)}
      </Text>
      <Text wrap="truncate-end">
        sent {num(d?.sent)} · cancelled {num(d?.cancelled)}
      </Text>
      <Text wrap="truncate-end">
        next weekly {short(n?.weekly)} · monthly {short(n?.monthly)}
      </Text>
    </Panel>
  );
}
