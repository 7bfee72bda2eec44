import { execFile } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import { openDatabase } from './database.js';
import { DEMO_RESULTS } from './demo-seed.js';
import type { Logger } from '../logger.js';
import { runMigrations } from './migrator.js';

export type DrillStep = { step: string; detail: string };
export type DrillReport = { ok: boolean; backup: string; steps: DrillStep[] };

class Rollback extends Error {}

/** Tables and columns of the public schema, to compare the schema before the drill with the one after it. */
async function schemaFingerprint(db: Knex): Promise<string> {
  const rows = await db('information_schema.columns')
    .where({ table_schema: 'public' })
    .orderBy(['table_name', 'ordinal_position'])
    .select('table_name', 'column_name', 'data_type');
  return rows
    .map(
      (r: { table_name: string; column_name: string; data_type: string }) =>
        `${r.table_name}.${r.column_name}:${r.data_type}`,
    )
    .join('\n');
}

/**
 * The previous release's core queries on the rolled-back schema: intake, progress, events, badges and subscriptions,
 * written and read inside a transaction that is then rolled back, so the drill leaves no data behind. They name only
 * the columns the first schema had, as the release before the latest migration would: today's repositories may
 * already use the columns that the migration rolled back.
 */
async function previousReleaseQueries(db: Knex, now: Date): Promise<string> {
  let summary = '';
  await db
    .transaction(async (trx) => {
      const [a] = await trx('analyses')
        .insert({
          url: 'https://drill.invalid/',
          url_hash: 'd'.repeat(64),
          status: 'COMPLETE',
          results_summary: DEMO_RESULTS,
          created_at: now,
        })
        .returning(['id']);
      const analysisId = (a as { id: string }).id;
      await trx('user_progress')
        .insert({
          analysis_id: analysisId,
          opportunity_id: 'value_creation',
          opportunity_category: 'value_creation',
          status: 'IN_PROGRESS',
        })
        .onConflict(['analysis_id', 'opportunity_id'])
        .merge(['status']);
      await trx('progress_events').insert({
        analysis_id: analysisId,
        opportunity_id: 'value_creation',
        from_status: 'NOT_STARTED',
        to_status: 'IN_PROGRESS',
        occurred_at: now,
      });
      await trx('email_subscriptions').insert({
        analysis_id: analysisId,
        email: 'drill@drill.invalid',
        frequency: 'weekly',
        active: true,
      });
      const found = await trx('analyses')
        .where({ id: analysisId })
        .first('id', 'url', 'status', 'results_summary', 'hourly_rate', 'created_at');
      const progress = await trx('user_progress')
        .where({ analysis_id: analysisId })
        .select('opportunity_id', 'status', 'implemented_at');
      const badges = await trx('user_badges').where({ analysis_id: analysisId }).select('badge_type');
      const definitions = await trx('badge_definitions').where({ active: true }).select('type');
      if (!found || progress.length !== 1) throw new Error('the rolled-back schema lost data written a moment ago');
      summary = `analysis, progress (${progress.length}), events, subscription, badges (${badges.length} earned of ${definitions.length}) written and read back`;
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
  return summary;
}

const run = promisify(execFile);

/** The same server, another database name. */
function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The rollback drill, on a copy so production data is never rolled back: back up with pg_dump, restore the
 * dump into a scratch database (which proves the backup restores), migrate, roll back one step, run the previous
 * release's queries, migrate again, check the schema came back the same, and drop the scratch database.
 */
export async function migrationDrill(opts: {
  databaseUrl: string;
  backupDir: string;
  now: Date;
  logger: Logger;
}): Promise<DrillReport> {
  const steps: DrillStep[] = [];
  mkdirSync(opts.backupDir, { recursive: true });
  const backup = path.join(
    path.resolve(opts.backupDir),
    `visionaire-${opts.now.toISOString().replace(/[:.]/g, '-')}.dump`,
  );
  await run('pg_dump', ['--format=custom', `--file=${backup}`, opts.databaseUrl]);
  steps.push({ step: 'backup', detail: `pg_dump → ${backup} (${statSync(backup).size} bytes)` });

  const scratch = `${new URL(opts.databaseUrl).pathname.slice(1)}_drill`.replace(/\W/g, '_');
  // Maintenance work (CREATE/DROP DATABASE, migrations) may take longer than a request's statement timeout.
  const unbounded = { statementTimeoutMs: 0, acquireTimeoutMs: 10_000 };
  const admin = openDatabase({ kind: 'postgres', url: opts.databaseUrl }, opts.logger, { limits: unbounded });
  await admin.knex.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [scratch]);
  await admin.knex.raw('CREATE DATABASE ??', [scratch]);
  const copy = openDatabase({ kind: 'postgres', url: withDatabase(opts.databaseUrl, scratch) }, opts.logger, {
    limits: unbounded,
  });
  try {
    await run('pg_restore', ['--no-owner', `--dbname=${withDatabase(opts.databaseUrl, scratch)}`, backup]);
    steps.push({ step: 'restore', detail: `pg_restore into the scratch database ${scratch}` });
    const ok = await drillSteps(copy.knex, opts.now, steps);
    return { ok, backup, steps };
  } finally {
    await copy.close();
    await admin.knex.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [scratch]);
    await admin.close();
  }
}

async function drillSteps(db: Knex, now: Date, steps: DrillStep[]): Promise<boolean> {
  const up = await runMigrations(db, 'latest');
  steps.push({
    step: 'migrate',
    detail:
      up.action === 'latest' && up.changed.length
        ? `applied ${up.changed.join(', ')}`
        : 'already at the latest migration',
  });
  const before = await schemaFingerprint(db);

  const down = await runMigrations(db, 'rollback');
  steps.push({
    step: 'rollback one step',
    detail:
      down.action === 'rollback' && down.changed.length
        ? `rolled back ${down.changed.join(', ')}`
        : 'nothing to roll back',
  });

  steps.push({ step: "previous release's queries", detail: await previousReleaseQueries(db, now) });

  const again = await runMigrations(db, 'latest');
  steps.push({
    step: 'migrate again',
    detail: again.action === 'latest' ? `applied ${again.changed.join(', ') || '(none)'}` : '',
  });
  const same = (await schemaFingerprint(db)) === before;
  steps.push({
    step: 'schema check',
    detail: same ? 'identical to the schema before the rollback' : 'DIFFERS from the schema before the rollback',
  });
  return same;
}
