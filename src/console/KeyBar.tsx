import { Text } from 'ink';
import type { FailureView } from '../services/admin-service.js';

type Props = { view: string; confirming: boolean; selected: FailureView | null; message: string | null };

/** The bottom line: a pending confirmation, the result of the last action, or the keys of this view. */
export function KeyBar({ view, confirming, selected, message }: Props) {
  if (confirming && selected) {
    return (
      <Text color="yellow" bold wrap="truncate-end">
        Retry {selected.company_name ?? selected.id.slice(0, 8)} ({selected.period_key})? y: this delivery · p: every
        failure of {selected.period_key} · n: cancel
      </Text>
    );
  }
  const keys =
    view === 'overview'
      ? 'q quit · r refresh · tab/←→ panels · enter open · f failures · ? keys'
      : view === 'failures'
        ? '↑↓ select · enter details · R retry · esc back · q quit'
        : view === 'detail'
          ? 'R retry · esc back · q quit'
          : 'esc back · q quit';
  return (
    <Text wrap="truncate-end">
      {message ? <Text color="cyan">{message} · </Text> : null}
      <Text dimColor>{keys}</Text>
    </Text>
  );
}
