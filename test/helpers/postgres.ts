import pg from 'pg';
import { adminUrl, databaseName } from './env.js';

/** Creates the database of `url` when it does not exist yet (optionally dropping it first). */
export async function ensureDatabase(url: string, opts: { fresh?: boolean } = {}): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl(url) });
  await client.connect();
  try {
    const name = databaseName(url);
    if (!/^\w+$/.test(name)) throw new Error(`unexpected database name ${name}`);
    if (opts.fresh) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}
