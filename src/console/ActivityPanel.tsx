import { Text } from 'ink';
import type { AdminOverview } from '../services/admin-service.js';
import { clock, num, UNKNOWN } from './format.js';
import { Panel } from './Panel.js';

type Props = { activity: AdminOverview['activity']; limit: number; focused: boolean };

/** The last hour: progress updates and badges awarded. */
export function ActivityPanel({ activity, limit, focused }: Props) {
  return (
    <Panel
      title={`Last hour · ${num(activity?.progress_updates)} progress updates · ${num(activity?.badges_awarded)} badges`}
      focused={focused}
    >
      {activity === null ? (
        <Text dimColor>{UNKNOWN}</Text>
      ) : activity.latest.length === 0 ? (
        <Text dimColor>no activity in the last hour</Text>
      ) : null}
      {activity?.latest.slice(0, limit).map((a, i) => (
        <Text key={`${a.at}-${i}`} wrap="truncate-end">
          {clock(a.at)} {a.kind === 'badge' ? '★' : '•'} {a.company_name ?? '—'} · {a.what}
        </Text>
      ))}
    </Panel>
  );
}
