// Commit outcome markers (Transaction-Guard style): a row written in the same transaction as the
// work tells, after a crash around the commit, whether the commit happened. With it a resent commit
// or AutoCommit DML is exactly-once; without it, it is reported in doubt.
import type { DriverConnection } from './driver';

export const MARKER_TABLE = 'cpan_bridge_outcome';

const created = new WeakSet<DriverConnection>();

async function run(conn: DriverConnection, sql: string, binds: unknown[]): Promise<unknown[][]> {
  const st = await conn.prepare(sql);
  try {
    const r = await st.execute(binds);
    return r.cursor ? await r.cursor.read(1) : [];
  } finally {
    st.close();
  }
}

export async function ensureMarkerTable(conn: DriverConnection): Promise<void> {
  if (created.has(conn)) return;
  await run(conn, `CREATE TABLE IF NOT EXISTS ${MARKER_TABLE} (session VARCHAR(64) NOT NULL, request VARCHAR(64) NOT NULL, rows_affected INTEGER, created_ms BIGINT NOT NULL, PRIMARY KEY (session, request))`, []);
  created.add(conn);
}

/** Inside the caller's transaction. */
export async function writeMarker(conn: DriverConnection, session: string, request: string, rows: number): Promise<void> {
  await ensureMarkerTable(conn);
  await run(conn, `INSERT INTO ${MARKER_TABLE} (session, request, rows_affected, created_ms) VALUES (?, ?, ?, ?)`, [session, request, rows, Date.now()]);
}

/** The recorded row count if the marked transaction committed, else undefined. */
export async function readMarker(conn: DriverConnection, session: string, request: string): Promise<number | undefined> {
  await ensureMarkerTable(conn);
  const rows = await run(conn, `SELECT rows_affected FROM ${MARKER_TABLE} WHERE session = ? AND request = ?`, [session, request]);
  return rows.length ? Number(rows[0][0]) : undefined;
}

