// The modules the daemon serves. Adding a module is adding its folder and one line here.
import { databaseModule } from './database';
import { systemModule, type SystemHooks } from './system';
import type { ModuleDef } from './types';

export function allModules(hooks: SystemHooks): ModuleDef[] {
  return [systemModule(hooks), databaseModule];
}

/** Journal migrations of every module (their own tables). */
export function moduleMigrations(mods: ModuleDef[]) {
  return mods.flatMap((m) => m.migrations ?? []);
}
