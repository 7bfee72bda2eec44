import { expect } from 'chai';
import type { Knex } from 'knex';
import { preparedRows } from '../../../src/db/prepared.js';
import { poolUse } from '../../../src/db/metrics-repo.js';
import { DB_MODES, useContainer } from '../../helpers/harness.js';

const SQL = 'SELECT ?::int + 1 AS n, ?::text AS label';

/** The statements knex's query runner started while `fn` ran, and every `query` event. */
async function throughKnex(db: Knex, fn: () => Promise<unknown>): Promise<{ runner: string[]; events: string[] }> {
  const runner: string[] = [];
  const events: string[] = [];
  const onStart = (builder: { toString(): string }) => runner.push(builder.toString());
  const onQuery = (q: { sql: string }) => events.push(q.sql);
  db.on('start', onStart).on('query', onQuery);
  try {
    await fn();
  } finally {
    db.off('start', onStart).off('query', onQuery);
  }
  return { runner, events };
}

for (const mode of DB_MODES) {
  describe(`preparedRows [${mode}]`, function () {
    const t = useContainer(mode);

    it(`returns the statement's rows, ${mode === 'postgres' ? "past knex's runner outside a transaction" : 'through knex'}, and through knex in a transaction`, async () => {
      const db = t.c.db;
      let rows: unknown[] = [];
      const direct = await throughKnex(
        db,
        async () => (rows = await preparedRows(db, 'prepared-test', SQL, [41, 'answer'])),
      );
      expect(rows).to.deep.equal([{ n: 42, label: 'answer' }]);
      expect(direct.runner, 'through the runner').to.have.length(mode === 'postgres' ? 0 : 1);
      expect(direct.events, 'query events').to.have.length(1);

      const inTrx = await throughKnex(db, () =>
        db.transaction(async (trx) => (rows = await preparedRows(trx, 'prepared-test', SQL, [1, 'in a transaction']))),
      );
      expect(rows).to.deep.equal([{ n: 2, label: 'in a transaction' }]);
      expect(inTrx.runner.filter((sql) => sql.includes('::int + 1'))).to.have.length(1);
    });

    it('rejects with the database error and gives the connection back to the pool', async () => {
      const db = t.c.db;
      const error = await preparedRows(db, 'prepared-test', SQL, ['not a number', 'x']).then(
        () => null,
        (err: { code?: string }) => err,
      );
      expect(error?.code).to.equal('22P02'); // invalid_text_representation
      if (mode === 'postgres') expect(poolUse(db)?.used).to.equal(0);
      expect(await preparedRows(db, 'prepared-test', SQL, [2, 'after'])).to.deep.equal([{ n: 3, label: 'after' }]);
    });
  });
}
