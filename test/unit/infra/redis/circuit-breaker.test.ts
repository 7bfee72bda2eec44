import { expect } from 'chai';
import { CircuitBreaker } from '../../../../src/infra/redis/circuit-breaker.js';

function setup(opts: { canClose?: () => boolean } = {}) {
  let now = 0;
  let outcome: { resolve: () => void; reject: (e: Error) => void } | null = null;
  let probes = 0;
  const breaker = new CircuitBreaker({
    failureThreshold: 3,
    cooldownMs: 1000,
    now: () => now,
    probe: () => {
      probes++;
      return new Promise<void>((resolve, reject) => (outcome = { resolve, reject }));
    },
    ...opts,
  });
  const flush = () => new Promise((r) => setImmediate(r));
  return {
    breaker,
    advance: (ms: number) => (now += ms),
    settle: async (ok: boolean) => {
      if (ok) outcome!.resolve();
      else outcome!.reject(new Error('down'));
      await flush();
    },
    probes: () => probes,
  };
}

describe('CircuitBreaker', () => {
  it('opens after consecutive failures only', () => {
    const { breaker } = setup();
    breaker.failed();
    breaker.failed();
    breaker.succeeded();
    breaker.failed();
    breaker.failed();
    expect(breaker.allows()).to.equal(true);
    breaker.failed();
    expect(breaker.allows()).to.equal(false);
    expect(breaker.state).to.equal('open');
  });

  it('probes once after the cooldown and closes on success', async () => {
    const t = setup();
    t.breaker.trip();
    expect(t.breaker.allows()).to.equal(false);
    expect(t.probes()).to.equal(0);
    t.advance(1000);
    expect(t.breaker.allows()).to.equal(false);
    expect(t.breaker.allows()).to.equal(false);
    expect(t.probes()).to.equal(1);
    expect(t.breaker.state).to.equal('probing');
    await t.settle(true);
    expect(t.breaker.allows()).to.equal(true);
  });

  it('stays open for another cooldown when the probe fails', async () => {
    const t = setup();
    t.breaker.trip();
    t.advance(1000);
    t.breaker.allows();
    await t.settle(false);
    expect(t.breaker.state).to.equal('open');
    t.advance(999);
    expect(t.breaker.allows()).to.equal(false);
    expect(t.probes()).to.equal(1);
    t.advance(1);
    t.breaker.allows();
    expect(t.probes()).to.equal(2);
  });

  it('does not close when tripped during the probe', async () => {
    const t = setup();
    t.breaker.trip();
    t.breaker.probe();
    t.breaker.trip();
    await t.settle(true);
    expect(t.breaker.state).to.equal('open');
  });

  it('probes again at once when it may not close yet', async () => {
    let ready = false;
    const t = setup({ canClose: () => ready });
    t.breaker.probe();
    await t.settle(true);
    expect(t.breaker.state).to.equal('probing');
    expect(t.probes()).to.equal(2);
    ready = true;
    await t.settle(true);
    expect(t.breaker.state).to.equal('closed');
  });
});
