import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadSettings, parseBool } from '../../src/config';

// the table perl/t/03-config-rule.t checks the Perl client against
const table = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../test/fixtures/booleans.json'), 'utf8')) as {
  true: unknown[];
  false: unknown[];
};

test('booleans: the spellings shared with the Perl client', () => {
  for (const v of table.true) assert.equal(parseBool(v), true, JSON.stringify(v));
  for (const v of table.false) assert.equal(parseBool(v), false, JSON.stringify(v));
});

test('booleans: environment and config file read the same way', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbcfg-'));
  try {
    const file = path.join(dir, 'c.json');
    fs.writeFileSync(file, JSON.stringify({ marker_table: 'on', eager_rehydrate: 'nope' }));
    const s = loadSettings({}, { HOME: dir, CPAN_BRIDGE_CONFIG: file, CPAN_BRIDGE_EAGER_REHYDRATE: 'YES' });
    assert.equal(s.markerTable, true);
    assert.equal(s.eagerRehydrate, true, 'environment beats the file');
    assert.equal(loadSettings({}, { HOME: dir, CPAN_BRIDGE_CONFIG: file }).eagerRehydrate, false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('config file: only the one CPAN_BRIDGE_CONFIG names, never $CPAN_BRIDGE_HOME/config.json', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbcfg-'));
  try {
    const home = path.join(dir, 'h');
    fs.mkdirSync(home);
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ max_connections: 7 }));
    const s = loadSettings({}, { HOME: dir, CPAN_BRIDGE_HOME: home });
    assert.equal(s.configFile, null);
    assert.equal(s.maxConnections, 1000);
    const named = loadSettings({}, { HOME: dir, CPAN_BRIDGE_HOME: home, CPAN_BRIDGE_CONFIG: path.join(home, 'config.json') });
    assert.equal(named.maxConnections, 7);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
