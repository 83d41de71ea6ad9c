// Drivers by DBI name (the "SQLite" of dbi:SQLite:...).
import { DbError, type Driver } from '../driver';
import { oracleDriver } from './oracle';
import { pgDriver } from './pg';
import { sqliteDriver } from './sqlite';

const drivers = new Map<string, Driver>([sqliteDriver, pgDriver, oracleDriver].map((d) => [d.name, d]));

export function registerDriver(d: Driver): void {
  drivers.set(d.name, d);
}

export function getDriver(name: string): Driver {
  const d = drivers.get(name);
  if (!d) {
    throw new DbError(`install_driver(${name}) failed: no such driver in CPAN Bridge (available: ${[...drivers.keys()].join(', ')})`, { err: 1 });
  }
  return d;
}
