// An XML::XPath job (parse, query, setNodeText, createNode, read the changed values, read a node
// by the path it was handed before) with the daemon SIGKILLed at every CRASH_AT phase of each of
// its calls: the client resends under the same id and every answer is the one of the run without
// a crash (changes replayed once, in order; node paths valid after the restart). A large source
// goes to xpath_sources once and leaves with its document.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import * as path from 'node:path';
import { PHASES } from '../../src/faults';
import { Resilient, startDaemon, tempDir } from '../helpers';

const XML = `<?xml version="1.0"?>
<jobs xmlns:ops="urn:ops">
  <job id="j1" minutes="90"><name>export</name><ops:sla level="gold"/></job>
  <job id="j2" minutes="15"><name>import</name></job>
</jobs>
`;

async function job(r: Resilient, xml = XML): Promise<unknown[]> {
  const out: unknown[] = [];
  let n = 0;
  const call = async (fn: string, params: Record<string, unknown>) => {
    const res = await r.call(String(++n), 'xpath', fn, params);
    out.push(res);
    return res;
  };
  const { doc } = (await call('parse', { xml })) as { doc: string };
  out.pop(); // the handle id differs between runs
  const found = (await call('find', { doc, path: '//job[@minutes > 20]/name' })) as { nodes: Array<[string]> };
  await call('find', { doc, path: 'sum(//job/@minutes) div 7' });
  await call('set_text', { doc, path: '//job[2]/name', text: 'import-v2' });
  await call('set_text', { doc, path: '//job[1]/@owner', text: 'ops' });
  await call('create_node', { doc, path: '/jobs/job[2]/retry/count' });
  await call('set_text', { doc, path: '/jobs/job[2]/retry/count', text: '3' });
  await call('find', { doc, path: '//job', literal: true });
  await call('find', { doc, path: '//job[2]/retry/count + 1' });
  await call('node', { doc, node: found.nodes[0]![0], what: 'xml' });
  await call('node', { doc, node: '/0/3', what: 'xml' });
  await call('find', { doc, path: '//ops:sla/@level' });
  await call('dispose', { doc });
  return out;
}

test('a crash at every phase of every call of an XPath job gives the same answers', async () => {
  const d0 = await startDaemon(tempDir());
  const expected = await job(new Resilient(d0, await d0.client()));
  await d0.kill('SIGTERM');
  assert.deepEqual(expected[6], { type: 'literal', value: 'exportimport-v23' });
  assert.deepEqual(expected[7], { type: 'number', value: '4' });
  assert.match(String((expected[9] as { value: string }).value), /<job id="j2" minutes="15"><name>import-v2<\/name><retry><count>3<\/count><\/retry><\/job>/);

  const points = ['xpath.parse#1', 'xpath.set_text#1', 'xpath.create_node#1', 'xpath.set_text#3', 'xpath.find#4', 'xpath.node#1', 'xpath.dispose#1'];
  for (const fn of points) {
    for (const phase of PHASES) {
      const home = tempDir();
      const d = await startDaemon(home, { CPAN_BRIDGE_CRASH_AT: `${fn}:${phase}` });
      const r = new Resilient(d, await d.client(), {});
      const got = await job(r);
      assert.deepEqual(got, expected, `answers differ after a crash at ${fn}:${phase}`);
      if (!(fn === 'xpath.dispose#1' && phase === 'after_reply')) assert.equal(r.restarts, 1, `one crash at ${fn}:${phase}`);
      await r.d.kill('SIGTERM');
    }
  }
});

test('a large source is kept once by its hash and survives a kill between two calls', async () => {
  const big = `<root>${Array.from({ length: 4000 }, (_, i) => `<row n="${i}">value ${i}</row>`).join('')}</root>`;
  const home = tempDir();
  const d = await startDaemon(home);
  const r = new Resilient(d, await d.client());
  const { doc } = await r.call('a1', 'xpath', 'parse', { xml: big });
  await r.call('a2', 'xpath', 'set_text', { doc, path: '//row[@n="17"]', text: 'changed' });
  const spec = new Database(path.join(home, 'journal.sqlite'), { readonly: true });
  const handle = spec.prepare("SELECT spec FROM handles WHERE module = 'xpath'").get() as { spec: string };
  assert.equal(handle.spec.includes('value 1234'), false, 'a large source is not in the handle spec');
  assert.equal((spec.prepare('SELECT count(*) AS n FROM xpath_sources').get() as { n: number }).n, 1);
  spec.close();
  await r.d.kill('SIGKILL');
  assert.deepEqual(await r.call('a3', 'xpath', 'find', { doc, path: 'string(//row[@n="17"])' }), { type: 'literal', value: 'changed' });
  assert.deepEqual(await r.call('a4', 'xpath', 'find', { doc, path: 'count(//row)' }), { type: 'number', value: '4000' });
  assert.equal(r.restarts, 1);
  await r.call('a5', 'xpath', 'dispose', { doc });
  await r.d.kill('SIGTERM');
  const after = new Database(path.join(home, 'journal.sqlite'), { readonly: true });
  assert.equal((after.prepare('SELECT count(*) AS n FROM xpath_sources').get() as { n: number }).n, 0, 'the source leaves with its document');
  after.close();
});

test('bad input: a malformed document and expression are XML::XPath errors, the daemon goes on', async () => {
  const d = await startDaemon(tempDir());
  const c = await d.client();
  const bad = await c.request('xpath', 'parse', { xml: '<a><b></a>' });
  assert.equal(bad.error?.code, 'xpath_error');
  assert.match(bad.error?.message ?? '', /mismatched tag at line 1, column 8, byte 8/);
  const ok = await c.request('xpath', 'parse', { xml: '<a/>' });
  const doc = (ok.result as { doc: string }).doc;
  const e = await c.request('xpath', 'find', { doc, path: '1e3' });
  assert.match(e.error?.message ?? '', /Parse of expression 1e3 failed - junk after end of expression: e3/);
  const wrong = await c.request('xpath', 'node', { doc, node: '/9/9', what: 'info' });
  assert.equal(wrong.error?.code, 'bad_params');
  const nested = await c.request('xpath', 'find', { doc, path: `${'('.repeat(30000)}1${')'.repeat(30000)}` });
  assert.equal(nested.error?.code, 'xpath_error');
  // a document nested 50,000 deep: parsed, counted and serialised without running out of stack
  const deep = await c.request('xpath', 'parse', { xml: '<a>'.repeat(50000) + '</a>'.repeat(50000) });
  const ddoc = (deep.result as { doc: string }).doc;
  assert.deepEqual((await c.request('xpath', 'find', { doc: ddoc, path: 'count(//a)' })).result, { type: 'number', value: '50000' });
  assert.equal(String(((await c.request('xpath', 'node', { doc: ddoc, node: '', what: 'xml' })).result as { value: string }).value).length, 49999 * 7 + '<a />'.length);
  assert.equal((await c.request('system', 'ping', {})).success, true);
  await d.kill('SIGTERM');
});

test('a document whose tree would pass the memory ceiling is refused, and the daemon serves on', async () => {
  const d = await startDaemon(tempDir(), { CPAN_BRIDGE_MEMORY_CEILING: String(300 * 1024 * 1024) });
  const c = await d.client();
  const rows = Array.from({ length: 100_000 }, (_, i) => `<r n="${i}">v</r>`).join(''); // about 1.9 MiB: ~76 MiB of tree
  const small = await c.request('xpath', 'parse', { xml: `<t>${rows}</t>` });
  assert.equal(small.success, true, JSON.stringify(small.error));
  const big = await c.request('xpath', 'parse', { xml: `<t>${rows.repeat(4)}</t>` }); // ~7.6 MiB: ~300 MiB of tree
  assert.equal(big.error?.code, 'memory_limit');
  assert.match(big.error?.message ?? '', /a document of 7 MiB needs about \d+ MiB.*memory ceiling of 300 MiB/);
  const doc = (small.result as { doc: string }).doc;
  assert.deepEqual((await c.request('xpath', 'find', { doc, path: 'count(//r)' })).result, { type: 'number', value: '100000' });
  await d.kill('SIGTERM');
});
