import { Box, Text } from 'ink';
import type { QueueFailure } from '../services/console-service.js';

/** The latest deliveries that gave up after their last attempt, with the error kept. */
export function FailuresPanel({ failures }: { failures: QueueFailure[] }) {
  if (failures.length === 0) return <Text color="green">No failed deliveries.</Text>;
  return (
    <Box flexDirection="column" borderStyle="single" borderColor="red" paddingX={1}>
      <Text bold color="red">Failed deliveries</Text>
      {failures.map((f) => (
        <Text key={f.id} wrap="truncate-end">
          {f.period_key} · {f.id.slice(0, 8)} · {f.attempts} attempts · {f.last_error ?? 'no error recorded'}
        </Text>
      ))}
    </Box>
  );
}
