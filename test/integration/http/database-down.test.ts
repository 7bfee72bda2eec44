import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createContainer, type Container } from '../../../src/container.js';
import { createApp } from '../../../src/http/app.js';
import { testConfig } from '../../helpers/harness.js';

describe('when the database is unreachable', function () {
  let c: Container;
  let server: Server;
  let base: string;
  before(async () => {
    // Nothing listens on port 1: connections are refused at once.
    c = createContainer(testConfig('postgres', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }));
    server = createApp(c).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });
  after(async () => {
    server.close();
    await c.close();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After instead of a 500', async () => {
    const res = await fetch(`${base}/dashboard/550e8400-e29b-41d4-a716-446655440000`);
    expect(res.status).to.equal(503);
    expect(res.headers.get('retry-after')).to.equal('5');
    const body = (await res.json()) as {
      error: string;
      detail: string;
      identity: { company_name: string };
      opportunities: { hours_per_week: number }[];
    };
    expect(body.error).to.equal('SERVICE_UNAVAILABLE');
    expect(body.detail).to.not.match(/127\.0\.0\.1|ECONNREFUSED/);
  });

  it('reports the database down on /health with 503', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).to.equal(503);
    expect(((await res.json()) as { database: { status: string } }).database.status).to.equal('down');
  });
});
