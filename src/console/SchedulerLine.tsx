import { Text } from 'ink';
import type { Liveness } from '../domain/liveness.js';
import { UNKNOWN } from './format.js';

/** `2 s`, `3 min`: how long ago an instance last beat. */
const ago = (s: number) => (s < 120 ? `${s} s` : `${Math.round(s / 60)} min`);
const ages = (l: Liveness, role: 'scheduler' | 'worker') =>
  l.instances
    .filter((i) => i.alive && i.role === role)
    .map((i) => ago(i.beat_age_s))
    .join(', ');

/** The top line: how many schedulers and workers are alive and when each last beat; red when none is. */
export function SchedulerLine({ liveness: l }: { liveness: Liveness | null | undefined }) {
  if (!l) return <Text dimColor>Scheduler {UNKNOWN}: heartbeats could not be read</Text>;
  const stale = l.instances.filter((i) => !i.alive);
  const staleNote = stale.length
    ? ` · ${stale.length} stale (last beat ${ago(Math.min(...stale.map((i) => i.beat_age_s)))} ago)`
    : '';
  if (l.schedulers === 0)
    return (
      <Text color="red" bold wrap="truncate-end">
        Scheduler: no scheduler running{l.workers ? ` · workers ${l.workers}` : ''}
        {staleNote}
      </Text>
    );
  return (
    <Text wrap="truncate-end">
      Scheduler <Text color="green">{l.schedulers} alive</Text> (beat {ages(l, 'scheduler')} ago) · workers{' '}
      <Text color={l.workers ? 'green' : 'red'}>{l.workers}</Text>
      {l.workers ? ` (beat ${ages(l, 'worker')} ago)` : ''}
      <Text color="yellow">{staleNote}</Text>
    </Text>
  );
}
