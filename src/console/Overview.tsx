import { Box, Text } from 'ink';
import type { AdminOverview } from '../services/admin-service.js';
import { ActivityPanel } from './ActivityPanel.js';
import { CachePanel } from './CachePanel.js';
import { PANELS, type PanelName } from './console-state.js';
import { FailuresPanel } from './FailuresPanel.js';
import { QueuePanel } from './QueuePanel.js';
import { RetryingPanel } from './RetryingPanel.js';
import { SuspendedPanel } from './SuspendedPanel.js';

type Props = { o: AdminOverview; focus: PanelName; rows: number; active: boolean };
const LISTS: PanelName[] = ['retrying', 'failures', 'suspended', 'activity'];

/**
 * The main screen. Tall terminals show every panel; below 35 rows the lists share one slot that
 * shows the focused one (tab cycles through all), so an 80×24 terminal reaches each of them.
 */
export function Overview({ o, focus, rows, active }: Props) {
  const compact = rows < 35;
  const f = (name: PanelName) => active && focus === name;
  const shown = compact ? (LISTS.includes(focus) ? focus : 'failures') : null;
  const limit = compact ? Math.max(2, rows - 17) : 5;
  const list = (name: PanelName) => {
    if (shown !== null && shown !== name) return null;
    switch (name) {
      case 'retrying':
        return <RetryingPanel key={name} retrying={o.retrying} now={o.at} limit={limit} focused={f(name)} />;
      case 'failures':
        return <FailuresPanel key={name} failures={o.failures} limit={limit} selected={null} focused={f(name)} />;
      case 'suspended':
        return (
          <SuspendedPanel
            key={name}
            suspended={o.suspended}
            total={o.subscriptions?.suspended ?? null}
            limit={compact ? limit : 3}
            selected={null}
            focused={f(name)}
          />
        );
      default:
        return <ActivityPanel key={name} activity={o.activity} limit={compact ? limit : 5} focused={f(name)} />;
    }
  };
  return (
    <>
      <Box>
        <CachePanel stats={o.cache} focused={f('cache')} />
        <QueuePanel
          subscriptions={o.subscriptions}
          deliveries={o.deliveries}
          next_runs={o.next_runs}
          focused={f('queue')}
        />
      </Box>
      {compact ? (
        <Text wrap="truncate-end">
          {PANELS.map((p) => (
            <Text key={p} inverse={p === focus} color={p === shown ? 'cyan' : undefined}>
              {' '}
              {p}{' '}
            </Text>
          ))}
        </Text>
      ) : null}
      {LISTS.map(list)}
    </>
  );
}
