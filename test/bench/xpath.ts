// The xpath section of `npm run bench`: a large generated document (50 MiB; 5 MiB with --quick)
// parsed and queried through XML::XPath, on the bridge (the daemon's peak memory from VmHWM)
// and with the real XML::XPath (peak memory from /usr/bin/time). Reported, never asserted.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bridgeEnv, must, nativeEnv, PERL_DIR, perlHas, runMeasured, startDaemon, stopPid } from './lib';

export interface XPathBenchResult {
  mib: number;
  orders: number;
  bridge: Record<string, unknown> & { wallMs: number; daemonHwmMib: number | null };
  real: (Record<string, unknown> & { wallMs: number; maxRssMib: number | null }) | null;
}

function generate(file: string, mib: number): number {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, '<?xml version="1.0"?>\n<orders>\n');
  let size = 0;
  let i = 0;
  for (; size < mib * 1048576; i++) {
    const s = `  <order id="o${i}" status="${i % 3 ? 'open' : 'done'}"><customer>Customer ${i % 1000}</customer><amount>${(i * 7) % 10000}.${i % 100}</amount><note>line ${i} &amp; more</note></order>\n`;
    fs.writeSync(fd, s);
    size += s.length;
  }
  fs.writeSync(fd, '</orders>\n');
  fs.closeSync(fd);
  return i;
}

export async function xpathBench(work: string, quick: boolean, log: (s: string) => void): Promise<XPathBenchResult> {
  const mib = quick ? 5 : 50;
  const file = path.join(work, 'orders.xml');
  const orders = generate(file, mib);
  const script = path.join(PERL_DIR, 'xpath.pl');
  const home = path.join(work, 'xpath-home');
  // the tree takes about 40 times the file: the ceiling is raised for this run
  const d = await startDaemon(home, { env: { CPAN_BRIDGE_MEMORY_CEILING: String(4 * 1024 ** 3) } });
  log(`xpath: ${mib} MiB, ${orders} orders, on the bridge`);
  let bridge: XPathBenchResult['bridge'];
  try {
    const m = must(await runMeasured('perl', [script, file], { env: bridgeEnv(home), timeoutMs: 900_000 }), 'xpath bench (bridge)');
    const hwm = d.hwmKb();
    bridge = { ...m.bench, wallMs: m.wallMs, daemonHwmMib: hwm === null ? null : Math.round(hwm / 1024) };
  } finally {
    await stopPid(d.pid);
  }
  let real: XPathBenchResult['real'] = null;
  if (perlHas('XML::XPath')) {
    log('xpath: with the real XML::XPath');
    const m = must(await runMeasured('perl', [script, file], { env: nativeEnv(), timeoutMs: 1_800_000 }), 'xpath bench (real XML::XPath)');
    real = { ...m.bench, wallMs: m.wallMs, maxRssMib: m.maxRssKb === null ? null : Math.round(m.maxRssKb / 1024) };
  }
  fs.rmSync(file, { force: true });
  return { mib, orders, bridge, real };
}
