import type { Knex } from 'knex';
import { migratorConfig } from './migrations.js';

export type MigrationResult =
  | { action: 'latest' | 'rollback'; batch: number; changed: string[] }
  | { action: 'status'; completed: string[]; pending: string[] };

const names = (list: unknown[]) => list.map((m) => (Array.isArray(m) ? String(m[0]) : String(m)));

/** Applies pending migrations, rolls back the last one (one step, not the whole batch), or lists them. */
export async function runMigrations(db: Knex, action: 'latest' | 'rollback' | 'status'): Promise<MigrationResult> {
  if (action === 'status') {
    const [completed, pending] = (await db.migrate.list(migratorConfig)) as [
      { name: string }[],
      { file: string }[] | string[][],
    ];
    const name = (m: unknown) =>
      typeof m === 'object' && m && 'name' in m
        ? String(m.name)
        : Array.isArray(m)
          ? String(m[0])
          : String((m as { file: string }).file);
    return { action, completed: completed.map(name), pending: (pending as unknown[]).map(name) };
  }
  const [batch, changed] =
    action === 'latest' ? await db.migrate.latest(migratorConfig) : await db.migrate.down(migratorConfig);
  return { action, batch, changed: names(changed) };
}
