import { Text } from 'ink';
import type { SubscriptionStatus } from '../domain/consent.js';

const LABELS: Record<SubscriptionStatus, [string, string]> = {
  active: ['active', 'green'],
  pending: ['pending confirmation', 'cyan'],
  suspended: ['suspended', 'magenta'],
  unsubscribed: ['unsubscribed', 'gray'],
};

/** A subscription's state, in words and colour. */
export function StateLabel({ status }: { status: SubscriptionStatus }) {
  const [label, color] = LABELS[status];
  return <Text color={color}>{label}</Text>;
}
