import { Text } from 'ink';
import { Panel } from './Panel.js';

/** Every key of the console, in one list (what `?` shows and the README repeats). */
export const KEYS: [string, string][] = [
  ['q', 'quit (ctrl-c too)'],
  ['r', 'refresh now'],
  ['?', 'this help; esc or ? closes it'],
  ['tab ← →', 'move between panels (shift-tab back)'],
  ['enter', 'open the focused panel, or the selected row'],
  ['↑ ↓', 'select a row'],
  ['esc', 'back'],
  ['/', 'search subscriptions: email, company, analysis or subscription id'],
  ['f', 'open the failed deliveries'],
  ['R', 'retry the selected failed delivery, or its whole period (p)'],
  ['s', 'on a failed delivery: open its subscription'],
  ['a', 'on a subscription: reactivate it (suspended)'],
  ['c', 'on a subscription: resend the confirmation email (pending)'],
  ['y / n', 'confirm / cancel an action'],
];

/** The keys of the console. */
export function HelpPanel() {
  return (
    <Panel title="Keys" focused>
      {KEYS.map(([key, what]) => (
        <Text key={key} wrap="truncate-end">
          <Text bold color="cyan">
            {key.padEnd(8)}
          </Text>{' '}
          {what}
        </Text>
      ))}
    </Panel>
  );
}
