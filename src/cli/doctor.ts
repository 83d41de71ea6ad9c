// `cpan-bridge doctor`: the checks an operator runs when something is off.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { Journal } from '../../journal/journal';
import { verify } from '../../journal/inspect';
import { statePaths, type Settings } from '../config';
import { ensureMarkerTable } from '../modules/database/marker';
import { openConnection } from '../modules/database/kinds';
import { peerCredentialsAvailable } from '../server/peercred';
import { socketAnswers } from '../server/probe';
import { stateProblems } from '../state-dir';

type Check = [name: string, ok: boolean | null, detail: string];

function mode(file: string): number | null {
  try {
    return fs.statSync(file).mode & 0o777;
  } catch {
    return null;
  }
}

export async function runDoctor(settings: Settings, initDb: string | null): Promise<number> {
  if (initDb) {
    const c = await openConnection({ dsn: initDb, user: process.env.DBI_USER ?? null, password: process.env.DBI_PASS ?? null, attrs: {}, cwd: process.cwd() });
    await ensureMarkerTable(c.driver);
    await c.driver.close();
    console.log(`marker table ready in ${initDb}`);
    return 0;
  }
  const p = statePaths(settings.home);
  const checks: Check[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  checks.push(['node', major >= 20, `v${process.versions.node}${major >= 20 ? '' : ' (20 or later needed)'}`]);
  for (const mod of ['better-sqlite3', 'exceljs', 'pg', 'oracledb', 'ssh2-sftp-client', 'nodemailer', 'pino']) {
    try {
      require(mod);
      checks.push([`module ${mod}`, true, 'loads']);
    } catch (e) {
      checks.push([`module ${mod}`, false, (e as Error).message.split('\n')[0]]);
    }
  }
  const home = mode(settings.home);
  checks.push(['state directory', home === 0o700, home === null ? `${settings.home} missing (created on first start)` : `${settings.home} mode ${home.toString(8)}`]);
  const peers = peerCredentialsAvailable();
  checks.push(['peer credentials', peers, peers ? 'SO_PEERCRED readable (koffi)' : 'koffi cannot be loaded: legacy clients are refused and framed clients are trusted to write only where anyone may']);
  const distrust = stateProblems(settings.home);
  checks.push(['state directory trust', home === null ? null : distrust.length === 0,
    home === null ? 'nothing to check yet' : distrust.length ? distrust.join('\n' + ' '.repeat(31)) : 'owned by this user, not writable by others, no symlinks']);
  for (const [name, file] of [['token', p.token], ['journal', p.journal], ['journal key', p.key]] as const) {
    const m = mode(file);
    checks.push([name, m === null ? null : m === 0o600, m === null ? `${file} not yet created` : `${file} mode ${m.toString(8)}`]);
  }
  const answers = await socketAnswers(settings.socket);
  checks.push(['socket', answers ? mode(settings.socket) === 0o600 : null, answers ? `${settings.socket} answers` : `no daemon on ${settings.socket} (clients start one when needed)`]);
  if (fs.existsSync(p.journal)) {
    try {
      const j = new Journal(p.journal, { keyFile: p.key, readonly: true });
      const problems = verify(j);
      j.close();
      checks.push(['journal integrity', problems.length === 0, problems.length ? problems.join('; ') : 'ok']);
    } catch (e) {
      checks.push(['journal integrity', false, (e as Error).message]);
    }
  }
  try {
    const out = execFileSync('perl', ['-e', 'print "$]"; print eval { require JSON::XS; 1 } ? " JSON::XS" : " JSON::PP only"'], { encoding: 'utf8' });
    checks.push(['perl', true, out]);
  } catch {
    checks.push(['perl', false, 'perl not found on PATH']);
  }
  let failed = 0;
  for (const [name, ok, detail] of checks) {
    if (ok === false) failed++;
    console.log(`${ok === true ? 'ok  ' : ok === false ? 'FAIL' : '--  '}  ${name.padEnd(24)} ${detail}`);
  }
  return failed ? 1 : 0;
}
