import { expect } from 'chai';
import { render } from 'ink-testing-library';
import { ConsoleApp } from '../../../src/console/ConsoleApp.js';
import type { ConsoleSnapshot } from '../../../src/services/console-service.js';

const snapshot: ConsoleSnapshot = {
  at: new Date('2026-11-30T08:59:30Z'),
  database: 'postgres',
  cache: { health: 'degraded', backend: 'redis', hits: 8123, misses: 1877, hit_rate: 81.23, memory_used: '1.52M', connected_clients: 4 },
  deliveries: { pending: 12, sending: 3, sent: 40210, failed: 2, cancelled: 0 },
  due_now: 7,
  subscriptions: { weekly: 310, monthly: 95, inactive: 12 },
  next_runs: { weekly: new Date('2026-11-30T09:00:00Z'), monthly: new Date('2026-12-01T09:00:00Z') },
  failures: [{ id: 'abcdef12-0000-4000-8000-000000000000', period_key: '2026-W48', attempts: 3, last_error: '550 mailbox unavailable', at: new Date() }],
};

describe('console/ConsoleApp', () => {
  it('shows cache figures, queue counts, next runs and failures', () => {
    const frame = render(<ConsoleApp snapshot={snapshot} error={null} />).lastFrame() ?? '';
    expect(frame).to.include('81.2%');
    expect(frame).to.include('8,123');
    expect(frame).to.include('1.52M');
    expect(frame).to.include('degraded');
    expect(frame).to.match(/pending 12/);
    expect(frame).to.match(/weekly 310/);
    expect(frame).to.include('2026-11-30 09:00 UTC');
    expect(frame).to.include('550 mailbox unavailable');
  });

  it('says so when there is nothing to show yet, and shows refresh errors', () => {
    const frame = render(<ConsoleApp snapshot={null} error="connection refused" />).lastFrame() ?? '';
    expect(frame).to.include('Loading');
    expect(frame).to.include('refresh failed: connection refused');
  });

  it('reports a clean queue plainly', () => {
    const frame = render(<ConsoleApp snapshot={{ ...snapshot, failures: [] }} error={null} />).lastFrame() ?? '';
    expect(frame).to.include('No failed deliveries.');
  });
});
