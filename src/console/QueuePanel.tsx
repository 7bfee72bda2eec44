import { Box, Text } from 'ink';
import type { ConsoleSnapshot } from '../services/console-service.js';

type Props = Pick<ConsoleSnapshot, 'deliveries' | 'due_now' | 'subscriptions' | 'next_runs'>;

const when = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—');

/** Report subscriptions and the delivery outbox, by state. */
export function QueuePanel({ deliveries, due_now, subscriptions, next_runs }: Props) {
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1} flexGrow={1}>
      <Text bold>Subscriptions &amp; delivery queue</Text>
      <Text>active     weekly {subscriptions.weekly} · monthly {subscriptions.monthly} · inactive {subscriptions.inactive}</Text>
      <Text>
        outbox     pending <Text color="cyan">{deliveries.pending}</Text> (due now {due_now}) · sending {deliveries.sending} · sent{' '}
        <Text color="green">{deliveries.sent}</Text> · failed <Text color={deliveries.failed ? 'red' : undefined}>{deliveries.failed}</Text>
      </Text>
      <Text>next runs  weekly {when(next_runs.weekly)} · monthly {when(next_runs.monthly)}</Text>
    </Box>
  );
}
