import { Text } from 'ink';
import type { FailureView } from '../services/admin-service.js';
import type { View } from './console-state.js';
import type { SupportAction } from './support-state.js';

type Props = {
  view: View;
  confirming: boolean;
  selected: FailureView | null;
  asking: SupportAction | null;
  message: string | null;
};

const KEYS: Record<View, string> = {
  overview: 'q quit · r refresh · tab panels · enter open · / search · f failures · ? keys',
  failures: '↑↓ select · enter details · R retry · esc back · q quit',
  detail: 'R retry · s subscription · esc back · q quit',
  suspended: '↑↓ select · enter open · esc back · q quit',
  search: 'type to search · ↑↓ select · enter open · esc back',
  subscription: 'a reactivate · c resend confirmation · ↑↓ R retry · r refresh · esc back',
  help: 'esc back · q quit',
};

/** The bottom line: a pending confirmation, the result of the last action, or the keys of this view. */
export function KeyBar({ view, confirming, selected, asking, message }: Props) {
  if (asking)
    return (
      <Text color="yellow" bold wrap="wrap">
        {asking.label}? y: yes · n: no
      </Text>
    );
  if (confirming && selected) {
    return (
      <Text color="yellow" bold wrap="wrap">
        Retry {selected.company_name ?? selected.id} ({selected.period_key})? y: this delivery · p: every failure of{' '}
        {selected.period_key} · n: cancel
      </Text>
    );
  }
  return (
    <>
      {message ? (
        <Text color="cyan" wrap="wrap">
          {message}
        </Text>
      ) : null}
      <Text dimColor wrap="truncate-end">
        {KEYS[view]}
      </Text>
    </>
  );
}
