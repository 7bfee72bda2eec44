import { Box, Text, useInput } from 'ink';
import type { ConsoleSnapshot } from '../services/console-service.js';
import { CachePanel } from './CachePanel.js';
import { FailuresPanel } from './FailuresPanel.js';
import { Header } from './Header.js';
import { QueuePanel } from './QueuePanel.js';

type Props = { snapshot: ConsoleSnapshot | null; error: string | null; onQuit?: () => void; interactive?: boolean };

function QuitKey({ onQuit }: { onQuit: () => void }) {
  useInput((input, key) => {
    if (input === 'q' || key.escape || (key.ctrl && input === 'c')) onQuit();
  });
  return null;
}

/** The support console: cache health and the report queues, refreshed by its caller. */
export function ConsoleApp({ snapshot, error, onQuit, interactive = false }: Props) {
  return (
    <Box flexDirection="column">
      {interactive && onQuit ? <QuitKey onQuit={onQuit} /> : null}
      {snapshot ? (
        <>
          <Header at={snapshot.at} database={snapshot.database} cacheBackend={snapshot.cache.backend} health={snapshot.cache.health} />
          <Box>
            <CachePanel stats={snapshot.cache} />
            <QueuePanel deliveries={snapshot.deliveries} due_now={snapshot.due_now} subscriptions={snapshot.subscriptions} next_runs={snapshot.next_runs} />
          </Box>
          <FailuresPanel failures={snapshot.failures} />
        </>
      ) : (
        <Text>Loading…</Text>
      )}
      {error ? <Text color="red">refresh failed: {error}</Text> : null}
      {interactive ? <Text dimColor>q to quit</Text> : null}
    </Box>
  );
}
