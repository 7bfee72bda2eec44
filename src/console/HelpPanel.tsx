import { Text } from 'ink';
import { Panel } from './Panel.js';

const KEYS: [string, string][] = [
  ['q', 'quit'],
  ['r', 'refresh now'],
  ['tab ← →', 'move between panels'],
  ['f', 'open the failed deliveries'],
  ['↑ ↓', 'select a failed delivery'],
  ['enter', 'open the focused panel / show the selected delivery'],
  ['R', 'retry the selected delivery or its whole period (asks first)'],
  ['esc', 'back'],
  ['?', 'this help'],
];

/** The keys of the console. */
export function HelpPanel() {
  return (
    <Panel title="Keys" focused>
      {KEYS.map(([key, what]) => (
        <Text key={key}>
          <Text bold color="cyan">
            {key.padEnd(9)}
          </Text>{' '}
          {what}
        </Text>
      ))}
    </Panel>
  );
}
