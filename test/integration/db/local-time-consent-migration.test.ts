import { expect } from 'chai';
import { createContainer, type Container } from '../../../src/container.js';
import { migratorConfig } from '../../../src/db/migrations.js';
import { testConfig } from '../../helpers/harness.js';
import { TEST_DATABASE_URL } from '../../helpers/env.js';
import { ensureDatabase } from '../../helpers/postgres.js';

describe('migration 20261127120000_local_time_and_consent [postgres]', function () {
  this.timeout(60_000);
  let c: Container;
  before(async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `${url.pathname}_consent_migration`;
    await ensureDatabase(url.toString(), { fresh: true });
    c = createContainer(testConfig('postgres', { DATABASE_URL: url.toString() }));
  });
  after(() => c.close());

  it('keeps subscriptions made before double opt-in confirmed, leaves time zones unset, and rolls back', async () => {
    // Every migration before this one, one step at a time.
    await c.db.migrate.up(migratorConfig);
    await c.db.migrate.up(migratorConfig);
    await c.db.migrate.up(migratorConfig);
    const [a] = await c
      .db('analyses')
      .insert({ url: 'https://old.example', url_hash: 'z'.repeat(64) })
      .returning('id');
    const created = new Date('2026-01-15T12:00:00Z');
    const [s] = await c
      .db('email_subscriptions')
      .insert({ analysis_id: a.id, email: 'old@example.org', created_at: created })
      .returning('id');

    await c.db.migrate.up(migratorConfig);
    const sub = await c.db('email_subscriptions').where({ id: s.id }).first();
    expect(sub.confirmed_at.toISOString()).to.equal(created.toISOString());
    expect(sub.consent_requested_at.toISOString()).to.equal(created.toISOString());
    expect(sub).to.include({ consent_confirm_ip: null, confirmation_due_at: null, confirmation_attempts: 0 });
    expect((await c.db('analyses').where({ id: a.id }).first()).time_zone, 'NULL: REPORT_TIME_ZONE applies').to.equal(
      null,
    );

    await c.db.migrate.down(migratorConfig);
    expect(await c.db('email_subscriptions').where({ id: s.id }).first()).not.to.have.property('confirmed_at');
    expect(await c.db('analyses').where({ id: a.id }).first()).not.to.have.property('time_zone');
  });
});
