import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { SubscriptionDetail } from '../services/support-service.js';
import { DeliveryHistory } from './DeliveryHistory.js';
import { when } from './format.js';
import type { Loaded } from './support-state.js';
import { Panel } from './Panel.js';
import { StaleNote } from './StaleNote.js';
import { StateLabel } from './StateLabel.js';

type Props = { detail: Loaded<SubscriptionDetail>; selected: number; limit: number; now: number };

const Field = ({ label, children }: { label: string; children: ReactNode }) => (
  <Box>
    <Box width={13} flexShrink={0}>
      <Text dimColor>{label}</Text>
    </Box>
    <Text wrap="wrap">{children}</Text>
  </Box>
);
const from = (ip: string | null, agent: string | null) => `${ip ? ` from ${ip}` : ''}${agent ? ` (${agent})` : ''}`;

/** One subscription in full: ids and email uncut, its state, consent record, bounces and deliveries. */
export function SubscriptionView({ detail, selected, limit, now }: Props) {
  const s = detail.data;
  if (!s)
    return (
      <Panel title="Subscription" focused>
        <Text color={detail.error ? 'red' : undefined}>{detail.error ?? 'loading…'}</Text>
      </Panel>
    );
  const c = s.consent;
  return (
    <Panel title={`Subscription of ${s.company_name ?? 'an unnamed company'}`} focused>
      <StaleNote error={detail.error} goodAt={detail.goodAt} now={now} />
      <Field label="email">{s.email}</Field>
      <Field label="subscription">{s.subscription_id}</Field>
      <Field label="analysis">{s.analysis_id}</Field>
      <Field label="reports">
        {s.frequency} · {s.time_zone} · <StateLabel status={s.status} /> · {s.bounce_count} bounce
        {s.bounce_count === 1 ? '' : 's'}
        {s.suspended_at ? ` · suspended ${when(s.suspended_at)}` : ''}
      </Field>
      <Field label="consent">
        requested {when(c.requested_at)}
        {from(c.request_ip, c.request_user_agent)} ·{' '}
        {c.confirmation_sent_at ? `email sent ${when(c.confirmation_sent_at)}` : 'no confirmation email on record'}
      </Field>
      <Field label="">
        {c.confirmed_at
          ? `confirmed ${when(c.confirmed_at)}${from(c.confirm_ip, c.confirm_user_agent)}`
          : 'not confirmed'}
      </Field>
      <DeliveryHistory deliveries={s.deliveries} selected={selected} limit={limit} />
    </Panel>
  );
}
