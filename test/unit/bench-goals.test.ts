// The bench's "Issue 21's goals" section: each goal judged from the run's own figures, a missed
// goal given its bound with the part this run measured, a section not run never called met.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { issue21Goals } from '../bench/goals';

const bulk = (bridgeWall: number) => ({
  rows: 100_000,
  native: { wall_ms: 7000, in_script_ms: 6500 },
  bridge_xs: { wall_ms: bridgeWall, in_script_ms: bridgeWall - 100, loop_ms: 3000, close_ms: 1400, loop_cpu_ms: 2600, close_cpu_ms: 20, daemon_cpu_ms: 2900 },
  bridge_pp: { wall_ms: bridgeWall + 500, in_script_ms: bridgeWall + 400 },
});

test('a missed bulk goal states the loop, the Perl CPU and the budget measured in this run', () => {
  const { rows, md } = issue21Goals({ bulk: bulk(5600) }, (s) => s === 'bulk');
  const g = rows.find((x) => x.key === 'bulk');
  assert.ok(g);
  assert.equal(g.status, 'missed');
  assert.equal(g.judged['whole process'], 0.8);
  assert.match(g.bound ?? '', /^Measured in this run: the goal allows 3500 ms whole \(0\.5 × native's 7000 ms\)/);
  assert.match(g.bound ?? '', /Perl process's own CPU 2600 ms \(0\.74× the whole budget/);
  assert.match(g.bound ?? '', /daemon used 2900 ms of CPU over the export \(busy 53 % of the script's 5500 ms\), beside the Perl process on the second core\./);
  assert.ok(md.some((l) => l.includes('**Bulk export** (missed): Measured in this run:')));
});

test('a met goal has no bound, and a section left out is not measured rather than met', () => {
  const { rows } = issue21Goals({ bulk: bulk(3300) }, (s) => s === 'bulk');
  const b = rows.find((x) => x.key === 'bulk');
  // 3300/7000 whole, 3200/6500 in script: both ≤ 0.5×
  assert.equal(b?.status, 'met');
  assert.equal(b?.bound, undefined);
  const ping = rows.find((x) => x.key === 'ping');
  assert.equal(ping?.status, 'not measured');
  assert.equal(ping?.verdict, 'not measured in this run');
});

test('a missed goal whose figures for the measured bound are missing keeps the profiled bound alone', () => {
  const r = { bulk: { native: { wall_ms: 7000, in_script_ms: 6500 }, bridge_xs: { wall_ms: 6000, in_script_ms: 5900 } } };
  const g = issue21Goals(r, () => true).rows.find((x) => x.key === 'bulk');
  assert.equal(g?.status, 'missed');
  assert.ok(g?.bound && !g.bound.startsWith('Measured in this run'));
  assert.match(g.bound, /^Bound: /);
});

test('journaling and ping bounds are the differences this run measured', () => {
  const r = {
    journaling: {
      normal_xs: { create_p50_us: 150, mutate_p50_us: 130, cell_p50_us: 140, pipelined_us: 30 },
      off_xs: { create_p50_us: 100, mutate_p50_us: 100, cell_p50_us: 100, pipelined_us: 24 },
      normal_pp: { create_p50_us: 150, mutate_p50_us: 130, cell_p50_us: 140, pipelined_us: 30 },
      off_pp: { create_p50_us: 100, mutate_p50_us: 100, cell_p50_us: 100, pipelined_us: 24 },
    },
    latency: { ping_xs: { p50_us: 120 }, echo_raw_xs: { p50_us: 50 }, echo_json_xs: { p50_us: 70 }, client_xs: { p50_us: 95 }, ping_pp: { p50_us: 150 }, echo_raw_pp: { p50_us: 55 } },
  };
  const rows = issue21Goals(r, () => true).rows;
  const single = rows.find((x) => x.key === 'journal_single');
  assert.equal(single?.status, 'missed');
  assert.match(single?.bound ?? '', /create 50 µs on 100 µs \(25 %: 25 µs\), mutate 30 µs on 100 µs/);
  const piped = rows.find((x) => x.key === 'journal_pipelined');
  assert.equal(piped?.status, 'missed');
  assert.match(piped?.bound ?? '', /adds 6\.0 µs a call, where 10 % is 2\.4 µs/);
  const ping = rows.find((x) => x.key === 'ping');
  assert.equal(ping?.status, 'missed');
  assert.match(ping?.bound ?? '', /client alone against the echo server is 1\.90× the raw echo/);
});

test('a missed seed goal states the close and the rest of the workflow measured in this run', () => {
  const r = { seed: { native: { first_ms: 20, warm_ms: 19, close_first_ms: 8 }, bridge_xs: { first_ms: 23, warm_ms: 21, close_first_ms: 12.5 }, bridge_pp: { first_ms: 29, warm_ms: 27 } } };
  const g = issue21Goals(r, (s) => s === 'seed').rows.find((x) => x.key === 'seed');
  assert.equal(g?.status, 'missed');
  assert.match(g?.bound ?? '', /^Measured in this run: the workbook's close takes 12\.5 ms of the bridge's 23\.0 ms first workflow \(native's close 8\.00 ms of 20\.0 ms\); the rest, connect to the last write, 10\.5 ms against native's 12\.0 ms\./);
});
