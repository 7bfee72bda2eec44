import { useEffect, useRef, useState } from 'react';
import type { SubscriptionDetail, SubscriptionSummary } from '../services/support-service.js';

/** An admin call's last good answer, kept (and marked stale) when a later call fails. */
export type Loaded<T> = { data: T | null; error: string | null; goodAt: number | null; loading: boolean };
const EMPTY = { data: null, error: null, goodAt: null, loading: false };

/** A support action on the open subscription; each is confirmed with y first. */
export type SupportAction =
  | { kind: 'reactivate'; subscriptionId: string; label: string }
  | { kind: 'resend'; subscriptionId: string; label: string }
  | { kind: 'retry-delivery'; deliveryId: string; label: string };

export type SupportHandlers = {
  onSearch?: ((text: string) => Promise<SubscriptionSummary[]>) | undefined;
  onOpenSubscription?: ((id: string) => Promise<SubscriptionDetail>) | undefined;
  /** Performs an action through the admin API and says what happened and whether a worker will send. */
  onAction?: ((action: SupportAction) => Promise<string>) | undefined;
};

const unavailable = () => Promise.reject(new Error('not available'));

/** The search, the open subscription and the pending action: the console's data beyond the overview. */
export function useSupport(h: SupportHandlers) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Loaded<SubscriptionSummary[]>>(EMPTY);
  const [detail, setDetail] = useState<Loaded<SubscriptionDetail>>(EMPTY);
  const [asking, setAsking] = useState<SupportAction | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const searches = useRef(0);
  const opens = useRef(0);

  // Only the latest call of each kind lands: an older answer arriving late is dropped.
  const load = <T>(
    seq: { current: number },
    set: (f: (l: Loaded<T>) => Loaded<T>) => void,
    call: () => Promise<T>,
    fresh: boolean,
  ) => {
    const mine = ++seq.current;
    set((l) => ({ ...(fresh ? EMPTY : l), loading: true }));
    call().then(
      (data) => mine === seq.current && set(() => ({ data, error: null, goodAt: Date.now(), loading: false })),
      (err: Error) => mine === seq.current && set((l) => ({ ...l, error: err.message, loading: false })),
    );
  };

  // Search as one types, a quarter of a second after the last key.
  useEffect(() => {
    const text = query.trim();
    if (text.length < 2) return;
    const timer = setTimeout(() => load(searches, setResults, () => (h.onSearch ?? unavailable)(text), false), 250);
    return () => clearTimeout(timer);
  }, [query]);

  const open = (id: string, fresh = true) =>
    load(opens, setDetail, () => (h.onOpenSubscription ?? unavailable)(id), fresh);

  const answer = (yes: boolean) => {
    const action = asking;
    setAsking(null);
    if (!action || !yes) return setMessage(action ? 'cancelled' : null);
    setMessage(`${action.label}…`);
    (h.onAction ?? unavailable)(action).then(
      (said) => {
        setMessage(said);
        if (detail.data) open(detail.data.subscription_id, false);
      },
      (err: Error) => setMessage(`${action.label} failed: ${err.message}`),
    );
  };

  return { query, setQuery, results, detail, open, asking, ask: setAsking, answer, message, setMessage };
}
