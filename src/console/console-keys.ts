import type { Dispatch } from 'react';
import type { Key } from 'ink';
import type { FailureView } from '../services/admin-service.js';
import type { ConsoleProps, RetryTarget } from './ConsoleApp.js';
import type { ConsoleState, KeyAction } from './console-state.js';
import type { useSupport } from './support-state.js';

type Ctx = {
  props: ConsoleProps;
  s: ConsoleState;
  dispatch: Dispatch<KeyAction>;
  sup: ReturnType<typeof useSupport>;
  pick: number;
  setPick: (n: number) => void;
  row: number;
  setRow: (n: number) => void;
  selected: FailureView | null;
  openSubscription: (id: string) => void;
};

const clampTo = (n: number, count: number) => Math.max(0, Math.min(n, count - 1));

/** What each key does in each view (the console's one input handler). */
export function keyHandler(c: Ctx): (input: string, key: Key) => void {
  const { props, s, dispatch, sup } = c;
  const retry = (target: RetryTarget) => {
    dispatch({ type: 'cancel' });
    sup.setMessage('retrying…');
    void (props.onRetry?.(target) ?? Promise.resolve('retry is not available')).then(sup.setMessage, (err: Error) =>
      sup.setMessage(`retry failed: ${err.message}`),
    );
  };
  const search = (input: string, key: Key) => {
    const results = sup.results.data ?? [];
    if (key.escape) dispatch({ type: 'back' });
    else if (key.return && results[c.pick]) c.openSubscription(results[c.pick]!.subscription_id);
    else if (key.upArrow || key.downArrow) c.setPick(clampTo(c.pick + (key.downArrow ? 1 : -1), results.length));
    else if (key.backspace || key.delete) sup.setQuery((q) => q.slice(0, -1));
    else if (input && !key.ctrl && !key.meta && !key.tab && !key.return) sup.setQuery((q) => q + input);
  };
  const subscription = (input: string, key: Key) => {
    const d = sup.detail.data;
    const delivery = d?.deliveries[c.row];
    if (key.escape || key.backspace) dispatch({ type: 'back' });
    else if (input === 'r' && d) sup.open(d.subscription_id, false);
    else if (key.upArrow || key.downArrow)
      c.setRow(clampTo(c.row + (key.downArrow ? 1 : -1), d?.deliveries.length ?? 0));
    else if (!d) return;
    else if (input === 'a')
      if (d.status === 'suspended')
        sup.ask({ kind: 'reactivate', subscriptionId: d.subscription_id, label: `Reactivate ${d.email}` });
      else sup.setMessage(`only a suspended subscription can be reactivated; this one is ${d.status}`);
    else if (input === 'c')
      if (d.status === 'pending')
        sup.ask({
          kind: 'resend',
          subscriptionId: d.subscription_id,
          label: `Resend the confirmation email to ${d.email}`,
        });
      else sup.setMessage(`only a pending subscription gets a confirmation email; this one is ${d.status}`);
    else if (input === 'R')
      if (delivery?.state === 'failed')
        sup.ask({ kind: 'retry-delivery', deliveryId: delivery.id, label: `Retry the ${delivery.period_key} report` });
      else sup.setMessage('select a failed delivery with ↑↓ first');
  };
  return (input, key) => {
    if (sup.asking) return sup.answer(input === 'y');
    if (s.confirming) {
      if (input === 'y' && c.selected) retry({ id: c.selected.id });
      else if (input === 'p' && c.selected) retry({ period: c.selected.period_key });
      else dispatch({ type: 'cancel' });
      return;
    }
    if (key.ctrl && input === 'c') return props.onQuit?.();
    if (s.view === 'search') return search(input, key);
    if (input === 'q') return props.onQuit?.();
    if (input === '?') return dispatch({ type: 'help' });
    if (input === '/') return dispatch({ type: 'search' });
    if (s.view === 'subscription') return subscription(input, key);
    if (input === 'r') props.onRefresh?.();
    else if (input === 'f') dispatch({ type: 'failures' });
    else if (input === 'R' && c.selected) dispatch({ type: 'ask-retry' });
    else if (input === 's' && s.view === 'detail' && c.selected) c.openSubscription(c.selected.subscription_id);
    else if (key.tab && key.shift) dispatch({ type: 'prev' });
    else if (key.tab || key.rightArrow) dispatch({ type: 'next' });
    else if (key.leftArrow) dispatch({ type: 'prev' });
    else if (key.upArrow) dispatch({ type: 'up' });
    else if (key.downArrow) dispatch({ type: 'down' });
    else if (key.return && s.view === 'suspended') {
      const sub = props.overview?.suspended?.[s.selected];
      if (sub) c.openSubscription(sub.subscription_id);
    } else if (key.return && (s.view !== 'failures' || c.selected)) dispatch({ type: 'enter' });
    else if (key.escape || key.backspace) dispatch({ type: 'back' });
  };
}
