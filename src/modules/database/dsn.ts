// DBI data source names: "dbi:DRIVER:rest", where rest is "k=v;k=v" or a driver-specific form.
import * as path from 'node:path';
import { maskDsn } from './credentials';
import { DbError } from './driver';

export interface ParsedDsn {
  driver: string;
  /** Attributes given as k=v pairs (keys lower-cased). */
  attrs: Record<string, string>;
  /** The part after the driver, as written. */
  rest: string;
}

export function parseDsn(dsn: string): ParsedDsn {
  const m = /^dbi:([A-Za-z_]\w*)(?:\(([^)]*)\))?:(.*)$/is.exec(dsn.trim());
  if (!m) throw new DbError(`Can't connect to data source '${maskDsn(dsn)}' because I can't work out what driver to use (it doesn't seem to contain a 'dbi:driver:' prefix and the DBI_DRIVER env var is not set)`, { err: 1 });
  const rest = m[3];
  const attrs: Record<string, string> = {};
  if (rest.includes('=')) {
    for (const part of rest.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0) attrs[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
    }
  }
  return { driver: m[1], attrs, rest };
}

/** SQLite: dbi:SQLite:dbname=PATH, dbi:SQLite:db=PATH, dbi:SQLite:database=PATH or dbi:SQLite:PATH. */
export function sqlitePath(d: ParsedDsn, cwd: string | null): string {
  const p = d.attrs.dbname ?? d.attrs.db ?? d.attrs.database ?? (d.rest.includes('=') ? '' : d.rest);
  if (p === '' || p === ':memory:') return ':memory:';
  if (p.startsWith('file:')) return p;
  return path.resolve(cwd ?? process.cwd(), p);
}

/** Oracle connect strings for node-oracledb from every DBD::Oracle DSN form. */
export function oracleConnectString(d: ParsedDsn): string {
  const rest = d.rest.trim();
  if (rest.startsWith('//')) return rest.slice(2); // dbi:Oracle://host:port/service → Easy Connect
  if (!rest.includes('=')) return rest; // TNS alias (resolved through tnsnames.ora / TNS_ADMIN)
  const host = d.attrs.host ?? 'localhost';
  const port = d.attrs.port ?? '1521';
  if (d.attrs.service_name) return `${host}:${port}/${d.attrs.service_name}`;
  if (d.attrs.sid) {
    return `(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=${host})(PORT=${port}))(CONNECT_DATA=(SID=${d.attrs.sid})))`;
  }
  throw new DbError(`dbi:Oracle DSN "${rest}" names neither sid nor service_name`, { err: 1 });
}
