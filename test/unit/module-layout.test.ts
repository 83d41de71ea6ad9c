// ADDING_A_MODULE.md, checked: every module folder under src/modules/ has what the checklist asks
// for. `system` (built-in: no CPAN module, no handles, no shim) needs only its table and legacy.ts.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LEGACY } from '../../src/legacy/table';
import { legacyTargets } from '../../src/kit/legacy';
import { allModules } from '../../src/modules';
import { ROOT } from '../helpers';

/** Each module's Perl side: the CPAN name its shim takes (perl/compat) and its predecessor Helper (perl/lib). */
const PERL: Record<string, { shim: string; helper: string }> = {
  database: { shim: 'DBI', helper: 'DBIHelper' },
  excel: { shim: 'Excel::Writer::XLSX', helper: 'ExcelHelper' },
  crypto: { shim: 'Crypt::CBC', helper: 'CryptHelper' },
  logging: { shim: 'Log::Log4perl', helper: 'LogHelper' },
  sftp: { shim: 'Net::SFTP::Foreign', helper: 'SFTPHelper' },
  mail: { shim: 'Mail::Sender', helper: 'MailHelper' },
  xpath: { shim: 'XML::XPath', helper: 'XPathHelper' },
};
const BUILT_IN = new Set(['system']);

const MODULES_DIR = path.join(ROOT, 'src/modules');
const folders = fs.readdirSync(MODULES_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
const served = new Map(allModules({ status: () => ({}), compact: () => ({}) }).map((m) => [m.name, m]));
const exists = (rel: string) => fs.existsSync(path.join(ROOT, rel));

test('every module folder is served under its folder name, and every served module has a folder', () => {
  assert.deepEqual([...folders].sort(), [...served.keys()].sort());
});

for (const name of folders) {
  test(`module ${name}: the checklist of ADDING_A_MODULE.md`, () => {
    const m = served.get(name)!;
    assert.ok(exists(`src/modules/${name}/index.ts`), 'index.ts (the function table)');
    assert.ok(exists(`src/modules/${name}/legacy.ts`), 'legacy.ts (the predecessor translations)');
    // translations of this module's own predecessor names land in the table
    const targets = Object.values(LEGACY).flatMap(legacyTargets);
    assert.ok(targets.includes(name), `no predecessor translation reaches ${name}`);
    if (BUILT_IN.has(name)) return;
    assert.ok(Object.keys(m.kinds).length > 0, 'its handle kinds (how each is rehydrated)');
    const perl = PERL[name];
    assert.ok(perl, `add the module's Perl names to PERL in this test (and its shim and Helper)`);
    assert.ok(exists(`perl/compat/${perl.shim.replace(/::/g, '/')}.pm`), `the shim perl/compat/${perl.shim}`);
    assert.ok(exists(`perl/lib/${perl.helper}.pm`), `the Helper class perl/lib/${perl.helper}.pm`);
    const tests = fs.readdirSync(path.join(ROOT, 'test/integration')).filter((f) => f.startsWith(name) && f.endsWith('.test.ts'));
    assert.ok(tests.length > 0, `an integration test test/integration/${name}*.test.ts`);
    const workflows = fs.readdirSync(path.join(ROOT, 'chaos/workflows')).filter((f) => f.endsWith('.pl'))
      .filter((f) => fs.readFileSync(path.join(ROOT, 'chaos/workflows', f), 'utf8').includes(`use ${perl.shim}`));
    assert.ok(workflows.length > 0, `a chaos workflow (chaos/workflows/*.pl) that uses ${perl.shim}`);
  });
}
