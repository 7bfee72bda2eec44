import { Text } from 'ink';
import type { AdminOverview } from '../services/admin-service.js';
import { num, UNKNOWN } from './format.js';
import { Panel } from './Panel.js';

const WIDTH = 28;

/** The serving process's cache: health, hit rate, hits and misses, Redis memory and clients. */
export function CachePanel({ stats, focused }: { stats: AdminOverview['cache']; focused: boolean }) {
  if (!stats)
    return (
      <Panel title="Cache" focused={focused} width={WIDTH}>
        <Text dimColor>{UNKNOWN}</Text>
      </Panel>
    );
  const rateColor = stats.hit_rate >= 80 ? 'green' : stats.hit_rate >= 50 ? 'yellow' : 'red';
  return (
    <Panel title={`Cache · ${stats.backend}`} focused={focused} width={WIDTH}>
      <Text wrap="truncate-end">
        <Text color={stats.health === 'healthy' ? 'green' : 'yellow'}>{stats.health}</Text> · hit rate{' '}
        <Text color={rateColor} bold>
          {stats.hits + stats.misses === 0 ? '—' : `${stats.hit_rate.toFixed(1)}%`}
        </Text>
      </Text>
      <Text wrap="truncate-end">hits {num(stats.hits)}</Text>
      <Text wrap="truncate-end">misses {num(stats.misses)}</Text>
      <Text wrap="truncate-end">
        memory {stats.memory_used ?? UNKNOWN}
        {stats.connected_clients === null ? '' : ` · ${stats.connected_clients} clients`}
      </Text>
    </Panel>
  );
}
