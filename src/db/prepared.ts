import type { Knex } from 'knex';
import type pg from 'pg';

/** Each statement's SQL with `$n` placeholders, by name: knex rewrites the `?` ones once. */
const nativeSql = new Map<string, string>();

/**
 * The rows of a named (server-side prepared) statement. On PostgreSQL, outside a transaction, it
 * runs on a connection of knex's pool but past knex's query runner: for the hottest read, the
 * uncached dashboard, where the runner cost about a fifth of the throughput. The pool, its acquire
 * timeout, the statement and read timeouts, the errors and knex's `query` event are the same. In a
 * transaction, and on PGlite, it goes through `knex.raw`.
 */
export async function preparedRows<R>(
  q: Knex,
  name: string,
  sql: string,
  bindings: readonly Knex.Value[],
): Promise<R[]> {
  const client = q.client as {
    config: { client: unknown };
    acquireConnection(): Promise<pg.Client>;
    releaseConnection(conn: pg.Client): Promise<void>;
  };
  if (q.isTransaction || client.config.client !== 'pg') {
    const { rows } = await q.raw(sql, bindings).options({ name });
    return rows as R[];
  }
  let text = nativeSql.get(name);
  if (text === undefined) nativeSql.set(name, (text = q.raw(sql, bindings).toSQL().toNative().sql));
  const conn = await client.acquireConnection();
  q.emit('query', { method: 'raw', sql: text, bindings, options: { name } }); // as knex's runner does: query logs and counts see it
  try {
    // The callback form, as knex calls it: the pool's read-timeout guard (database.ts) wraps callbacks.
    const result = await new Promise<pg.QueryResult>((resolve, reject) =>
      conn.query({ name, text, values: [...bindings] }, (err: Error | null, res: pg.QueryResult) =>
        err ? reject(err) : resolve(res),
      ),
    );
    return result.rows as R[];
  } finally {
    await client.releaseConnection(conn);
  }
}
