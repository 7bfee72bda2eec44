import type { Clock } from '../../src/clock.js';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private current: Date = new Date('2026-03-02T10:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * Replaces `performance.now`, the monotonic clock that leases, journal windows and lru-cache read;
 * the returned function puts the real one back.
 */
export function holdPerformanceNow(now: () => number): () => void {
  Object.defineProperty(performance, 'now', { value: now, configurable: true, writable: true });
  return () => void Reflect.deleteProperty(performance, 'now');
}

export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
