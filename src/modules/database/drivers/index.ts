// Drivers by DBI name (the "SQLite" of dbi:SQLite:...). PostgreSQL and Oracle client libraries
// are loaded the first time a job uses them, so that a daemon (re)starts fast.
import { DbError, type Driver } from '../driver';
import { sqliteDriver } from './sqlite';

const loaders = new Map<string, () => Driver>([
  ['SQLite', () => sqliteDriver],
  ['Pg', () => (require('./pg') as typeof import('./pg')).pgDriver],
  ['Oracle', () => (require('./oracle') as typeof import('./oracle')).oracleDriver],
]);
const drivers = new Map<string, Driver>();

export function getDriver(name: string): Driver {
  let d = drivers.get(name);
  if (!d) {
    const load = loaders.get(name);
    if (!load) {
      throw new DbError(`install_driver(${name}) failed: no such driver in CPAN Bridge (available: ${[...loaders.keys()].join(', ')})`, { err: 1 });
    }
    d = load();
    drivers.set(name, d);
  }
  return d;
}
