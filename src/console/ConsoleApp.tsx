import { useEffect, useReducer, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { AdminOverview } from '../services/admin-service.js';
import { consoleReducer, initialState } from './console-state.js';
import { FailureDetail } from './FailureDetail.js';
import { FailuresPanel } from './FailuresPanel.js';
import { Header } from './Header.js';
import { HelpPanel } from './HelpPanel.js';
import { KeyBar } from './KeyBar.js';
import { Overview } from './Overview.js';
import { SchedulerLine } from './SchedulerLine.js';
import { SearchPanel } from './SearchPanel.js';
import { StaleNote } from './StaleNote.js';
import { SubscriptionView } from './SubscriptionView.js';
import { SuspendedPanel } from './SuspendedPanel.js';
import { useSupport, type SupportHandlers } from './support-state.js';
import { keyHandler } from './console-keys.js';

export type RetryTarget = { id: string } | { period: string };
export type ConsoleProps = SupportHandlers & {
  overview: AdminOverview | null;
  /** Why the last poll failed ("service unreachable …", "unauthorized …"), or null. */
  problem: string | null;
  /** When the overview on screen was fetched (ms): its age is shown once a poll fails. */
  goodAt?: number | null;
  /** The time the age of stale data is measured against (ms); the command re-renders every second. */
  now?: number;
  url: string;
  /** Terminal height: below 35 rows the lists share one slot (tab cycles through them), so 24 rows hold it all. */
  rows?: number;
  interactive?: boolean;
  onQuit?: () => void;
  onRefresh?: () => void;
  /** Performs a retry and says what happened, and whether a worker will send it. */
  onRetry?: (target: RetryTarget) => Promise<string>;
};

/** The support console: the service's figures, a search over subscriptions, and the actions support staff take. */
export function ConsoleApp(props: ConsoleProps) {
  const { overview: o, problem, url, rows = 24, interactive = false } = props;
  const now = props.now ?? Date.now();
  const [s, dispatch] = useReducer(consoleReducer, initialState);
  const [pick, setPick] = useState(0);
  const [row, setRow] = useState(0);
  const sup = useSupport(props);
  useEffect(() => setPick(0), [sup.results.data]);
  const failures = o?.failures ?? [];
  const suspended = o?.suspended ?? [];
  const listSize = s.view === 'suspended' ? suspended.length : failures.length;
  useEffect(() => dispatch({ type: 'clamp', count: listSize }), [listSize]);
  const selected = failures[Math.min(s.selected, failures.length - 1)] ?? null;
  const openSubscription = (id: string) => {
    setRow(0);
    sup.setMessage(null);
    dispatch({ type: 'subscription' });
    sup.open(id);
  };
  useInput(keyHandler({ props, s, dispatch, sup, pick, setPick, row, setRow, selected, openSubscription }), {
    isActive: interactive,
  });

  const limit = Math.max(3, rows - 9);
  return (
    <Box flexDirection="column">
      <Header url={url} database={o?.database ?? null} at={o?.at ?? null} problem={problem} compact={rows < 35} />
      <SchedulerLine liveness={o ? o.liveness : null} />
      {o ? <StaleNote error={problem} goodAt={props.goodAt ?? null} now={now} /> : null}
      {!o && s.view !== 'search' && s.view !== 'subscription' ? (
        <Text>{problem ? `No figures yet: ${problem}` : 'Loading…'}</Text>
      ) : null}
      {s.view === 'help' ? <HelpPanel /> : null}
      {s.view === 'search' ? (
        <SearchPanel query={sup.query} results={sup.results} selected={pick} limit={Math.max(2, rows - 11)} now={now} />
      ) : null}
      {s.view === 'subscription' ? (
        <SubscriptionView detail={sup.detail} selected={row} limit={Math.max(2, rows - 18)} now={now} />
      ) : null}
      {o && s.view === 'detail' && selected ? <FailureDetail failure={selected} /> : null}
      {o && s.view === 'failures' ? (
        <FailuresPanel failures={o.failures} limit={limit} selected={s.selected} focused />
      ) : null}
      {o && s.view === 'suspended' ? (
        <SuspendedPanel
          suspended={o.suspended}
          total={o.subscriptions?.suspended ?? null}
          limit={limit}
          selected={s.selected}
          focused
        />
      ) : null}
      {o && s.view === 'overview' ? <Overview o={o} focus={s.focus} rows={rows} active={interactive} /> : null}
      {interactive ? (
        <KeyBar view={s.view} confirming={s.confirming} selected={selected} asking={sup.asking} message={sup.message} />
      ) : null}
    </Box>
  );
}
