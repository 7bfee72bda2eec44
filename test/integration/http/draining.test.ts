import { expect } from 'chai';
import { Agent, request } from 'node:http';
import { createContainer } from '../../../src/container.js';
import { startServer } from '../../../src/http/server.js';
import { api, testConfig, useHarness } from '../../helpers/harness.js';
import { specAnalysis } from '../../helpers/cache.js';
import { TEST_REDIS_URL } from '../../helpers/env.js';

describe('GET /health while draining', function () {
  const t = useHarness('postgres', { reset: false });

  it('answers 503 draining once shutdown has begun, though the database is up', async () => {
    expect((await t.client.get('/health')).status).to.equal(200);
    t.h.container.lifecycle.beginDrain();
    const res = await t.client.get('/health');
    expect(res.status).to.equal(503);
    expect(res.body.status).to.equal('draining');
    expect(res.body.database.status).to.equal('up');
  });
});

describe('startServer().close()', function () {
  it('marks the container draining and stops accepting connections', async () => {
    const c = createContainer(testConfig('postgres'));
    try {
      const server = await startServer(c, { port: 0, host: '127.0.0.1' });
      expect((await api(`${server.url}/api/v1`).get('/health')).status).to.equal(200);
      expect(c.lifecycle.draining).to.equal(false);
      await server.close(100);
      expect(c.lifecycle.draining).to.equal(true);
      const refused = await new Promise<string | undefined>((resolve) => {
        const { port } = new URL(server.url);
        const req = request({ host: '127.0.0.1', port, path: '/api/v1/health', agent: false }, () =>
          resolve('answered'),
        );
        req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code));
        req.end();
      });
      expect(refused).to.equal('ECONNREFUSED');
    } finally {
      await c.close();
    }
  });

  it('answers a cached hit served below Koa with Connection: close once draining', async () => {
    const c = createContainer(testConfig('postgres', { REDIS_URL: TEST_REDIS_URL, CACHE_LEASE_MS: '250' }));
    await c.migrate();
    expect(await c.cache.ready(5000)).to.equal(true);
    const server = await startServer(c, { port: 0, host: '127.0.0.1' });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) =>
      new Promise<{ status: number; connection: string | undefined; etag: string | undefined }>((resolve, reject) => {
        const req = request(`${server.url}/api/v1${path}`, { agent }, (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, etag: res.headers.etag }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const id = await specAnalysis(`${server.url}/api/v1`);
      const first = await get(`/dashboard/${id}`);
      expect(first.connection).to.equal('keep-alive');
      expect(c.cache.peekAnalysis(id, 'dashboard'), 'held').to.not.equal(undefined);
      const closing = server.close(500);
      const draining = await get(`/dashboard/${id}`);
      expect(draining).to.deep.equal({ status: 200, connection: 'close', etag: first.etag });
      await closing;
    } finally {
      agent.destroy();
      await c.close();
    }
  });

  it('answers CONNECT with 405 in the contract shape instead of dropping the socket', async () => {
    const c = createContainer(testConfig('postgres'));
    const server = await startServer(c, { port: 0, host: '127.0.0.1' });
    try {
      const { port } = new URL(server.url);
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'CONNECT', path: 'example.com:443' });
        req.on('connect', (res, socket) => {
          socket.destroy();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).to.equal(405);
    } finally {
      await server.close(100);
      await c.close();
    }
  });
});
