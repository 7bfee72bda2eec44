import { Box, Text } from 'ink';
import type { CacheStats } from '../infra/cache/cache-service.js';

const fmt = (n: number) => n.toLocaleString('en-US');

/** Hits, misses and hit rate, plus Redis memory and clients when Redis is the store. */
export function CachePanel({ stats }: { stats: CacheStats }) {
  const rateColor = stats.hit_rate >= 80 ? 'green' : stats.hit_rate >= 50 ? 'yellow' : 'red';
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1} width={38}>
      <Text bold>Cache</Text>
      <Text>hit rate   <Text color={rateColor} bold>{stats.hit_rate.toFixed(1)}%</Text></Text>
      <Text>hits       {fmt(stats.hits)}</Text>
      <Text>misses     {fmt(stats.misses)}</Text>
      <Text>memory     {stats.memory_used ?? '—'}</Text>
      <Text>clients    {stats.connected_clients ?? '—'}</Text>
    </Box>
  );
}
