import { useReducer, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { AdminOverview } from '../services/admin-service.js';
import { ActivityPanel } from './ActivityPanel.js';
import { CachePanel } from './CachePanel.js';
import { consoleReducer, initialState } from './console-state.js';
import { FailureDetail } from './FailureDetail.js';
import { FailuresPanel } from './FailuresPanel.js';
import { Header } from './Header.js';
import { HelpPanel } from './HelpPanel.js';
import { KeyBar } from './KeyBar.js';
import { QueuePanel } from './QueuePanel.js';
import { RetryingPanel } from './RetryingPanel.js';
import { SuspendedPanel } from './SuspendedPanel.js';

export type RetryTarget = { id: string } | { period: string };
type Props = {
  overview: AdminOverview | null;
  /** Why the last poll failed ("service unreachable …", "unauthorized …"), or null. */
  problem: string | null;
  url: string;
  /** Terminal height: below 35 rows each list shows 2 lines and suspensions only as a count, so 24 rows hold it all. */
  rows?: number;
  interactive?: boolean;
  onQuit?: () => void;
  onRefresh?: () => void;
  /** Performs a retry and says what happened. */
  onRetry?: (target: RetryTarget) => Promise<string>;
};

/** The support console: the running service's figures, its failed deliveries, and the keys to act on them. */
export function ConsoleApp({
  overview: o,
  problem,
  url,
  rows = 24,
  interactive = false,
  onQuit,
  onRefresh,
  onRetry,
}: Props) {
  const [s, dispatch] = useReducer(consoleReducer, initialState);
  const [message, setMessage] = useState<string | null>(null);
  const failures = o?.failures ?? [];
  const selected = failures[Math.min(s.selected, failures.length - 1)];
  const retry = (target: RetryTarget) => {
    dispatch({ type: 'cancel' });
    setMessage('retrying…');
    void (onRetry?.(target) ?? Promise.resolve('retry is not available')).then(setMessage, (err: Error) =>
      setMessage(`retry failed: ${err.message}`),
    );
  };
  useInput(
    (input, key) => {
      if (s.confirming) {
        if (input === 'y' && selected) retry({ id: selected.id });
        else if (input === 'p' && selected) retry({ period: selected.period_key });
        else dispatch({ type: 'cancel' });
        return;
      }
      if (input === 'q' || (key.ctrl && input === 'c')) onQuit?.();
      else if (input === 'r') onRefresh?.();
      else if (input === '?') dispatch({ type: 'help' });
      else if (input === 'f') dispatch({ type: 'failures' });
      else if (input === 'R' && selected) dispatch({ type: 'ask-retry' });
      else if (key.tab && key.shift) dispatch({ type: 'prev' });
      else if (key.tab || key.rightArrow) dispatch({ type: 'next' });
      else if (key.leftArrow) dispatch({ type: 'prev' });
      else if (key.upArrow) dispatch({ type: 'up' });
      else if (key.downArrow) dispatch({ type: 'down' });
      else if (key.return && (s.view !== 'failures' || selected)) dispatch({ type: 'enter' });
      else if (key.escape || key.backspace) dispatch({ type: 'back' });
    },
    { isActive: interactive },
  );

  const compact = rows < 35;
  const focus = (name: typeof s.focus) => s.view === 'overview' && s.focus === name;
  return (
    <Box flexDirection="column">
      <Header url={url} database={o?.database ?? null} at={o?.at ?? null} problem={problem} compact={rows < 35} />
      {!o ? <Text>{problem ? `No figures yet: ${problem}` : 'Loading…'}</Text> : null}
      {o && s.view === 'help' ? <HelpPanel /> : null}
      {o && s.view === 'detail' && selected ? <FailureDetail failure={selected} /> : null}
      {o && s.view === 'failures' ? (
        <FailuresPanel
          failures={o.failures}
          limit={Math.max(3, rows - 9)}
          selected={Math.min(s.selected, failures.length - 1)}
          focused
        />
      ) : null}
      {o && s.view === 'overview' ? (
        <>
          <Box>
            <CachePanel stats={o.cache} focused={focus('cache')} />
            <QueuePanel
              subscriptions={o.subscriptions}
              deliveries={o.deliveries}
              next_runs={o.next_runs}
              focused={focus('queue')}
            />
          </Box>
          <RetryingPanel retrying={o.retrying} now={o.at} limit={compact ? 2 : 5} focused={focus('retrying')} />
          <FailuresPanel failures={o.failures} limit={compact ? 2 : 8} selected={null} focused={focus('failures')} />
          <ActivityPanel activity={o.activity} limit={compact ? 1 : 5} focused={focus('activity')} />
          {!compact && o.suspended?.length ? <SuspendedPanel suspended={o.suspended} limit={3} /> : null}
        </>
      ) : null}
      {interactive ? (
        <KeyBar view={s.view} confirming={s.confirming} selected={selected ?? null} message={message} />
      ) : null}
    </Box>
  );
}
