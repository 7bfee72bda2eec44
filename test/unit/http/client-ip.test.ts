import { expect } from 'chai';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { clientIp } from '../../../src/http/middleware/rate-limit.js';

/** The lane counts requests before Koa sees them: it must key them by the address Koa's `ctx.ip` gives. */
for (const proxy of [false, true]) {
  describe(`clientIp agrees with Koa's ctx.ip (proxy: ${proxy})`, () => {
    let server: Server;
    let url: string;
    before(async () => {
      const app = new Koa({ proxy });
      app.use((ctx) => {
        ctx.body = { koa: ctx.ip, ours: clientIp(ctx.req, proxy) };
      });
      server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    after(() => server.close());

    for (const xff of [undefined, '', '203.0.113.7', ' 203.0.113.7 , 10.0.0.1', '2001:db8::1, 10.0.0.2', ',10.0.0.3']) {
      it(`with X-Forwarded-For ${JSON.stringify(xff)}`, async () => {
        const headers: Record<string, string> = xff === undefined ? {} : { 'X-Forwarded-For': xff };
        const { koa, ours } = (await (await fetch(url, { headers })).json()) as { koa: string; ours: string };
        expect(ours).to.equal(koa);
      });
    }
  });
}
