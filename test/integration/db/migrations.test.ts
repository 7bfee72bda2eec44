import { expect } from 'chai';
import { createContainer, type Container } from '../../../src/container.js';
import { runMigrations } from '../../../src/db/migrator.js';
import { testConfig } from '../../helpers/harness.js';
import { ensureDatabase } from '../../helpers/postgres.js';
import { TEST_DATABASE_URL } from '../../helpers/env.js';

const migrationsDbUrl = () => {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `${u.pathname}_migrations`;
  return u.toString();
};

const tables = async (c: Container) =>
  (await c.db('information_schema.tables').where({ table_schema: 'public' }).pluck('table_name'))
    .filter((t: string) => !t.startsWith('knex_'))
    .sort();

for (const mode of ['postgres', 'pglite'] as const) {
  describe(`migrations [${mode}]`, function () {
    let c: Container;
    before(async () => {
      if (mode === 'postgres') await ensureDatabase(migrationsDbUrl(), { fresh: true });
      c = createContainer(testConfig(mode, mode === 'postgres' ? { DATABASE_URL: migrationsDbUrl() } : {}));
    });
    after(() => c.close());

    it('run up, down and up again', async () => {
      const up = await runMigrations(c.db, 'latest');
      expect(up.action).to.equal('latest');
      const created = await tables(c);
      expect(created).to.include.members([
        'analyses',
        'user_progress',
        'user_badges',
        'email_subscriptions',
        'badge_definitions',
        'progress_events',
      ]);
      expect(await c.db('badge_definitions').pluck('type')).to.have.members([
        'first_step',
        'quick_win',
        'time_saver',
        'efficiency_expert',
        'streak_master',
      ]);

      let status = await runMigrations(c.db, 'status');
      expect(status).to.deep.include({ pending: [] });

      for (let batch = 0; batch < 10 && (await tables(c)).length > 0; batch++) await runMigrations(c.db, 'rollback');
      expect(await tables(c)).to.deep.equal([]);
      status = await runMigrations(c.db, 'status');
      expect(status).to.deep.include({ completed: [] });

      await runMigrations(c.db, 'latest');
      expect(await tables(c)).to.deep.equal(created);
    });

    it('keeps updated_at current through the triggers', async () => {
      const [a] = await c
        .db('analyses')
        .insert({ url: 'https://t.example', url_hash: 'x'.repeat(64) })
        .returning(['id', 'updated_at']);
      expect(a.updated_at).to.equal(null);
      await c.db('analyses').where({ id: a.id }).update({ hourly_rate: 42 });
      const after = await c.db('analyses').where({ id: a.id }).first();
      expect(after.updated_at).to.be.instanceOf(Date);
    });

    it('enforces one badge of a type per analysis at the database', async () => {
      const [a] = await c
        .db('analyses')
        .insert({ url: 'https://u.example', url_hash: 'y'.repeat(64) })
        .returning('id');
      const row = {
        analysis_id: a.id,
        badge_type: 'first_step',
        badge_version: 1,
        badge_name: 'Premier Pas',
        description: 'd',
        points: 10,
      };
      await c.db('user_badges').insert(row);
      const err = await c
        .db('user_badges')
        .insert(row)
        .then(
          () => null,
          (e: { code?: string }) => e,
        );
      expect(err?.code, 'unique_violation').to.equal('23505');
      expect(await c.db('user_badges').where({ analysis_id: a.id })).to.have.length(1);
    });
  });
}
