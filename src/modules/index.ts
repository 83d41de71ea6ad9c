// The modules the daemon serves. Adding a module is adding its folder and one line here.
import { databaseModule } from './database';
import { cryptoModule } from './crypto';
import { excelModule } from './excel';
import { loggingModule } from './logging';
import { sftpModule } from './sftp';
import { mailModule } from './mail';
import { xpathModule } from './xpath';
import { systemModule, type SystemHooks } from './system';
import type { ModuleDef } from '../kit/types';

export function allModules(hooks: SystemHooks): ModuleDef[] {
  return [systemModule(hooks), databaseModule, excelModule, cryptoModule, loggingModule, sftpModule, mailModule, xpathModule];
}

/** Spec fields that some handle kind declares secret: redacted wherever they appear in logs. */
export function secretFields(mods: ModuleDef[]): string[] {
  return [...new Set(mods.flatMap((m) => Object.values(m.kinds).flatMap((k) => k.secrets ?? [])))];
}

/** Journal migrations of every module (their own tables). */
export function moduleMigrations(mods: ModuleDef[]) {
  return mods.flatMap((m) => m.migrations ?? []);
}

/** The journal's delete hook: routes a deleted handle to its module. */
export function deleteHook(mods: ModuleDef[]) {
  const byName = new Map(mods.map((m) => [m.name, m]));
  return (db: Parameters<NonNullable<ModuleDef['onHandleDeleted']>>[0], h: { id: string; module: string; kind: string }) =>
    byName.get(h.module)?.onHandleDeleted?.(db, h);
}
