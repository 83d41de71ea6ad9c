// The commit-outcome logic without a marker table: PostgreSQL's txid_status answers and Oracle's
// GET_LTXID_OUTCOME results mapped to committed / aborted / unknown, a transaction still running
// asked again for a bounded time. The servers' side is in database-pg / database-oracle tests.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { DriverConnection, TxnStatus } from '../../src/modules/database/driver';
import { LTXID_OUTCOME_SQL, ltxidOutcome, ltxidOutcomeBinds } from '../../src/modules/database/drivers/oracle';
import { transactionOutcome, txnNote } from '../../src/modules/database/txn-outcome';

function answering(...answers: TxnStatus[]): { conn: DriverConnection; asked: () => number } {
  let n = 0;
  const conn = { transactionStatus: async () => answers[Math.min(n++, answers.length - 1)] } as unknown as DriverConnection;
  return { conn, asked: () => n };
}

test('committed and aborted are final; running is asked again until it ends', async () => {
  assert.equal(await transactionOutcome(answering('committed').conn, '1'), 'committed');
  assert.equal(await transactionOutcome(answering('aborted').conn, '1'), 'aborted');
  const a = answering('running', 'running', 'committed');
  assert.equal(await transactionOutcome(a.conn, '1', 2000, 1), 'committed');
  assert.equal(a.asked(), 3);
});

test('still running after the wait, no answer, or no way to ask: unknown (in doubt)', async () => {
  const a = answering('running');
  assert.equal(await transactionOutcome(a.conn, '1', 30, 5), 'unknown');
  assert.ok(a.asked() >= 2);
  assert.equal(await transactionOutcome(answering('unknown').conn, '1'), 'unknown');
  const failing = { transactionStatus: async () => { throw new Error('connection lost'); } } as unknown as DriverConnection;
  assert.equal(await transactionOutcome(failing, '1'), 'unknown');
  assert.equal(await transactionOutcome({} as DriverConnection, '1'), 'unknown');
});

test('the note journaled before COMMIT', () => {
  assert.deepEqual(txnNote({ txid: '742', rows: 3 }), { txid: '742', rows: 3 });
  assert.deepEqual(txnNote({ txid: '742' }), { txid: '742' });
  assert.equal(txnNote({ rows: 3 }), null);
  assert.equal(txnNote(null), null);
});

test('Oracle: GET_LTXID_OUTCOME through numbers, the id bound as RAW', () => {
  assert.match(LTXID_OUTCOME_SQL, /DBMS_APP_CONT\.GET_LTXID_OUTCOME\(:ltxid, c, u\)/);
  assert.equal(ltxidOutcome({ committed: 1, completed: 1 }), 'committed');
  assert.equal(ltxidOutcome({ committed: 0, completed: 0 }), 'aborted'); // GET_LTXID_OUTCOME blocks it from committing later
  assert.equal(ltxidOutcome(undefined), 'unknown');
  assert.equal(ltxidOutcome({ committed: null }), 'unknown');
  const o = { BIND_IN: 3001, BIND_OUT: 3003, DB_TYPE_RAW: 'raw', NUMBER: 2010 } as never;
  const b = ltxidOutcomeBinds(Buffer.from([1, 2, 3]).toString('base64'), o) as Record<string, { val?: Buffer; dir: number }>;
  assert.deepEqual([...b.ltxid.val!], [1, 2, 3]);
  assert.equal(b.committed.dir, 3003);
});
