import { expect } from 'chai';
import { startRetentionJob } from '../../../src/jobs/retention-job.js';
import type { PrivacyService, RetentionPass } from '../../../src/services/privacy-service.js';
import { captureLogs } from '../../helpers/log-capture.js';

describe('jobs/startRetentionJob', () => {
  it('runs one retention pass per tick, never two at once, and logs a failed pass', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const privacy = {
      applyRetention: () =>
        new Promise<RetentionPass>((resolve, reject) => {
          calls++;
          if (calls === 2) return reject(new Error('database gone'));
          release = () => resolve({ deliveries: 1, consent_ips: 0 });
        }),
    } as unknown as PrivacyService;
    const logs = captureLogs();
    const job = startRetentionJob({ privacy, logger: logs.logger, autoStart: false });
    const first = job.tick();
    const overlapping = job.tick();
    expect(calls).to.equal(1);
    release();
    await Promise.all([first, overlapping]);
    await job.tick();
    expect(calls).to.equal(2);
    expect(logs.text()).to.include('retention pass failed');
    await job.stop();
  });
});
