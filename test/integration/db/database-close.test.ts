import { expect } from 'chai';
import { openDatabase } from '../../../src/db/database.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { migratedPglite } from '../../helpers/harness.js';

describe('openDatabase (PGlite): close()', function () {
  this.timeout(120_000);

  it('shuts PGlite down even when no query ever ran (nothing left to keep the process alive)', async () => {
    const pglite = await migratedPglite();
    const db = openDatabase({ kind: 'pglite', dir: null }, captureLogs('warn').logger, { pglite });
    await db.close();
    expect(pglite.closed).to.equal(true);
  });

  it('shuts it down after queries too, once', async () => {
    const pglite = await migratedPglite();
    const db = openDatabase({ kind: 'pglite', dir: null }, captureLogs('warn').logger, { pglite });
    expect((await db.knex.raw('select 1 as one')).rows).to.deep.equal([{ one: 1 }]);
    await db.close();
    expect(pglite.closed).to.equal(true);
  });
});
