import { Text } from 'ink';
import type { FailureView } from '../services/admin-service.js';
import { when } from './format.js';
import { Panel } from './Panel.js';

/** One failed delivery in full. */
export function FailureDetail({ failure }: { failure: FailureView }) {
  return (
    <Panel title={`Failed delivery ${failure.id}`} color="red" focused>
      <Text>company {failure.company_name ?? '—'}</Text>
      <Text>email {failure.email}</Text>
      <Text>period {failure.period_key}</Text>
      <Text>attempts {failure.attempts}</Text>
      <Text>failed at {when(failure.failed_at)}</Text>
      <Text>
        subscription {failure.subscription_id} ({failure.subscription_state})
      </Text>
      <Text>analysis {failure.analysis_id}</Text>
      <Text wrap="wrap">
        error <Text color="red">{failure.last_error ?? 'no error kept'}</Text>
      </Text>
    </Panel>
  );
}
