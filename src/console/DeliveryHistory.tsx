import { Text } from 'ink';
import type { DeliveryView } from '../services/support-service.js';
import { when } from './format.js';

const COLOR: Record<DeliveryView['state'], string | undefined> = {
  queued: 'cyan',
  sending: 'cyan',
  sent: 'green',
  failed: 'red',
  cancelled: 'gray',
};

type Props = { deliveries: DeliveryView[]; selected: number; limit: number };

/** A subscription's deliveries, newest first: period, state, attempts, sent_at and the last error. */
export function DeliveryHistory({ deliveries, selected, limit }: Props) {
  const start = Math.max(0, Math.min(selected - limit + 1, deliveries.length - limit));
  return (
    <>
      <Text bold>
        Deliveries ({deliveries.length}, newest first){deliveries.length ? ': period · state · attempts · sent_at' : ''}
      </Text>
      {deliveries.length === 0 ? <Text dimColor>no report sent or queued yet</Text> : null}
      {deliveries.slice(start, start + limit).map((d, i) => (
        <Text key={d.id} inverse={start + i === selected} wrap="wrap">
          {d.period_key} · <Text color={COLOR[d.state]}>{d.state}</Text> · {d.attempts} attempt
          {d.attempts === 1 ? '' : 's'} · {d.sent_at ? when(d.sent_at) : 'not sent'}
          {d.last_error ? <Text color="red"> · {d.last_error}</Text> : null}
        </Text>
      ))}
    </>
  );
}
