// The mail module against a real SMTP server (test/mail-sink.ts), driven over the wire as the
// shims drive it: open (head + first bytes) → write... → send → discard. A crash at every
// CRASH_AT phase of each request, and a SIGKILL while the message streams: the sink receives
// the message exactly once, or the client is told in_doubt for the one message whose final "."
// was sent without a recorded 250 — never twice, never silently lost. Server faults at each
// stage give mail_error with the stage and the server's reply, and nothing is retried.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { PHASES } from '../../src/faults';
import { Resilient, startDaemon, stateBytes, tempDir } from '../helpers';
import { startSink, type Sink } from '../mail-sink';

const b64 = (b: Buffer | string) => ({ $b64: Buffer.from(b).toString('base64') });
const HEAD = 'To: rcpt@example.test\r\nFrom: sender@example.test\r\nSubject: report\r\n';
const CHUNKS = Array.from({ length: 4 }, (_, i) => `line ${i}\r\n.dot line ${i}\r\n`);
const PASSWORD = 'Otter-Smtp-Secret-4471';

function server(sink: Sink, extra: Record<string, unknown> = {}) {
  return { host: '127.0.0.1', port: sink.port, timeout: 10, client: 'test.client', tls: 'never', auth: null, skip_bad: false, ...extra };
}

/** One message, as a shim sends it; ids fixed so that a resend after a crash reuses them. */
async function mail(r: Resilient, sink: Sink, extra: Record<string, unknown> = {}, to = ['rcpt@example.test']) {
  const o = await r.call('1', 'mail', 'open', { from: 'sender@example.test', to, head: b64(HEAD), id_at: HEAD.length, id_line: 'Message-ID: <{id}@example.test>\r\n', stuffed: false, data: b64('\r\n') });
  for (let i = 0; i < CHUNKS.length; i++) await r.call(String(i + 2), 'mail', 'write', { message: o.message, data: b64(CHUNKS[i]!) });
  const reply = await r.request('10', 'mail', 'send', { message: o.message, ...server(sink), ...extra });
  await r.call('11', 'mail', 'discard', { message: o.message });
  return { o, reply };
}

test('a message reaches the sink once, with its envelope and the Message-ID derived from the request', async () => {
  const sink = await startSink();
  const home = tempDir();
  const d = await startDaemon(home);
  const r = new Resilient(d, await d.client());
  const { o, reply } = await mail(r, sink);
  assert.equal(reply.success, true, JSON.stringify(reply.error));
  assert.equal(sink.received.length, 1);
  const m = sink.received[0]!;
  assert.deepEqual([m.from, m.to], ['sender@example.test', ['rcpt@example.test']]);
  assert.match(String(o.message_id), /^<[0-9a-f]{20}@example\.test>$/);
  assert.equal(m.data.toString(), `${HEAD}Message-ID: ${o.message_id}\r\n\r\n${CHUNKS.join('')}`, 'the bytes as composed (the sink undoes the dot-stuffing)');
  assert.equal((reply.result as { message_id: string }).message_id, o.message_id);
  await r.d.kill('SIGTERM');
  await sink.close();
});

test('a crash at every phase of every request: delivered exactly once, or in_doubt for the final "."', async () => {
  const sink = await startSink();
  const points = ['mail.open#1', 'mail.write#2', 'mail.send#1', 'mail.discard#1'];
  const seen: string[] = [];
  for (const fn of points) {
    for (const phase of PHASES) {
      const before = sink.received.length;
      const home = tempDir();
      const d = await startDaemon(home, { CPAN_BRIDGE_CRASH_AT: `${fn}:${phase}` });
      const r = new Resilient(d, await d.client(), {});
      const { reply } = await mail(r, sink, { auth: null });
      const got = sink.received.length - before;
      assert.equal(reply.success, true, `${fn}:${phase}: ${JSON.stringify(reply.error)}`);
      assert.equal(got, 1, `${fn}:${phase}: the sink got ${got} messages`);
      if (!(fn === 'mail.discard#1' && phase === 'after_reply')) assert.equal(r.restarts, 1, `one crash at ${fn}:${phase}`);
      seen.push(`${fn}:${phase}`);
      await r.d.kill('SIGTERM');
    }
  }
  assert.equal(seen.length, points.length * PHASES.length);
  await sink.close();
});

test('SIGKILL while the message streams (DATA), and a drop after the final ".": resent once, or in_doubt', async () => {
  const sink = await startSink({ stall: 1500 });
  const big = 'x'.repeat(76) + '\r\n';
  const home = tempDir();
  let d = await startDaemon(home);
  let c = await d.client();
  const o = await c.request('mail', 'open', { from: 's@example.test', to: ['rcpt@example.test'], head: b64(HEAD), id_at: null, id_line: null, stuffed: false, data: b64('\r\n') }, '1');
  assert.equal(o.success, true, JSON.stringify(o.error));
  const message = (o.result as { message: string }).message;
  for (let i = 0; i < 20; i++) assert.equal((await c.request('mail', 'write', { message, data: b64(big.repeat(10_000)) }, `w${i}`)).success, true);
  // the sink reads the message slowly: kill the daemon while DATA streams
  const sending = c.request('mail', 'send', { message, ...server(sink) }, '2');
  await new Promise((res) => setTimeout(res, 150));
  await d.kill('SIGKILL');
  const lost = await sending;
  assert.equal(lost.error?.code, 'disconnected');
  await new Promise((res) => setTimeout(res, 1600));
  assert.equal(sink.received.length, 0, 'the message was cut off before its final "."');
  sink.set({});
  d = await startDaemon(home);
  c = await d.client(c.session);
  const again = await c.request('mail', 'send', { message, ...server(sink) }, '2');
  assert.equal(again.success, true, JSON.stringify(again.error));
  assert.equal(sink.received.length, 1);
  assert.equal(sink.received[0]!.data.length, HEAD.length + 2 + big.length * 200_000);

  // the server takes the message and drops the connection before its 250: in doubt, not resent
  sink.set({ drop: 'after_dot' });
  const o2 = await c.request('mail', 'open', { from: 's@example.test', to: ['rcpt@example.test'], head: b64(HEAD), id_at: HEAD.length, id_line: 'Message-ID: <{id}@x>\r\n', stuffed: false, data: b64('\r\nbody\r\n') }, '3');
  const m2 = (o2.result as { message: string; message_id: string });
  const dropped = await c.request('mail', 'send', { message: m2.message, ...server(sink) }, '4');
  assert.equal(dropped.error?.code, 'in_doubt');
  assert.equal((dropped.error as unknown as { stage: string }).stage, 'dot');
  assert.equal((dropped.error as unknown as { message_id: string }).message_id, m2.message_id);
  assert.equal(sink.received.length, 2);
  await d.kill('SIGKILL');
  // the daemon died right after: the resend is told in_doubt with the Message-ID, and sends nothing
  sink.set({});
  d = await startDaemon(home);
  c = await d.client(c.session);
  const resent = await c.request('mail', 'send', { message: m2.message, ...server(sink) }, '4');
  assert.equal(resent.error?.code, 'in_doubt', 'the stored answer');

  // a daemon killed just after the final "." left (before any 250): the resend is in_doubt
  const o3 = await c.request('mail', 'open', { from: 's@example.test', to: ['rcpt@example.test'], head: b64(HEAD), id_at: HEAD.length, id_line: 'Message-ID: <{id}@x>\r\n', stuffed: false, data: b64('\r\nbody\r\n') }, '5');
  const m3 = o3.result as { message: string; message_id: string };
  sink.set({ replyDelay: 3000 });
  const pending = c.request('mail', 'send', { message: m3.message, ...server(sink) }, '6');
  while (sink.received.length < 3) await new Promise((res) => setTimeout(res, 20));
  await d.kill('SIGKILL'); // the "." is out, the 250 not yet in
  assert.equal((await pending).error?.code, 'disconnected');
  sink.set({});
  d = await startDaemon(home);
  c = await d.client(c.session);
  const askAgain = await c.request('mail', 'send', { message: m3.message, ...server(sink) }, '6');
  assert.equal(askAgain.error?.code, 'in_doubt', JSON.stringify(askAgain));
  assert.equal((askAgain.error as unknown as { message_id: string }).message_id, m3.message_id);
  assert.match(String(askAgain.error?.message), new RegExp(m3.message_id.replace(/[<>.]/g, '.')));
  assert.equal(sink.received.length, 3, 'never sent twice');
  await d.kill('SIGTERM');
  await sink.close();
});

test('server faults: refused, 5xx and 4xx at MAIL, RCPT and after the message, auth, TLS required, drops', async () => {
  const sink = await startSink({ reject: { 'bad@example.test': 550, 'later@example.test': 450 }, users: { alice: PASSWORD } });
  const home = tempDir();
  const d = await startDaemon(home);
  const c = await d.client();
  let n = 0;
  const attempt = async (to: string[], extra: Record<string, unknown>) => {
    const o = await c.request('mail', 'open', { from: 's@example.test', to, head: b64(HEAD), id_at: null, id_line: null, stuffed: false, data: b64('\r\nbody\r\n') }, String(++n));
    const message = (o.result as { message: string }).message;
    const r = await c.request('mail', 'send', { message, ...server(sink), auth: { method: 'LOGIN', user: 'alice' }, password: PASSWORD, ...extra }, String(++n));
    await c.request('mail', 'discard', { message }, String(++n));
    return r as { success: boolean; result?: Record<string, unknown>; error?: Record<string, unknown> };
  };
  const ok = await attempt(['rcpt@example.test'], {});
  assert.equal(ok.success, true, JSON.stringify(ok.error));
  assert.equal(sink.received.at(-1)!.user, 'alice');
  for (const method of ['PLAIN', 'CRAM-MD5']) {
    const r = await attempt(['rcpt@example.test'], { auth: { method, user: 'alice' } });
    assert.equal(r.success, true, `${method}: ${JSON.stringify(r.error)}`);
  }
  const count = sink.received.length;

  const bad = await attempt(['rcpt@example.test', 'bad@example.test'], {});
  assert.equal(bad.error?.code, 'mail_error');
  assert.equal(bad.error?.stage, 'rcpt');
  assert.equal(bad.error?.address, 'bad@example.test');
  assert.match(String(bad.error?.response), /^550 /);
  assert.equal(sink.received.length, count, 'stopped before DATA');

  const later = await attempt(['later@example.test'], {});
  assert.match(String(later.error?.response), /^450 /);

  const skipped = await attempt(['rcpt@example.test', 'bad@example.test'], { skip_bad: true });
  assert.equal(skipped.success, true);
  assert.deepEqual(skipped.result?.accepted, ['rcpt@example.test']);
  assert.deepEqual(sink.received.at(-1)!.to, ['rcpt@example.test']);
  const allBad = await attempt(['bad@example.test'], { skip_bad: true });
  assert.equal(allBad.error?.kind, 'all_rejected');

  const wrong = await attempt(['rcpt@example.test'], { password: 'wrong' });
  assert.equal(wrong.error?.stage, 'auth');
  assert.match(String(wrong.error?.response), /^535 /);
  assert.equal(String(JSON.stringify(wrong)).includes('wrong'), false);
  const unoffered = await attempt(['rcpt@example.test'], { auth: { method: 'NTLM', user: 'alice' } });
  assert.equal(unoffered.error?.kind, 'auth_unoffered');
  const noTls = await attempt(['rcpt@example.test'], { tls: 'required' });
  assert.equal(noTls.error?.kind, 'tls_unsupported');

  for (const [opts, stage, re] of [[{ mailCode: 553 }, 'mail', /^553 /], [{ mailCode: 421 }, 'mail', /^421 /], [{ dataCode: 554 }, 'dot', /^554 /], [{ dataCode: 451 }, 'dot', /^451 /]] as const) {
    sink.set({ reject: {}, users: { alice: PASSWORD }, ...opts });
    const r = await attempt(['rcpt@example.test'], {});
    assert.equal(r.error?.stage, stage, JSON.stringify(opts));
    assert.match(String(r.error?.response), re);
  }
  sink.set({ users: { alice: PASSWORD }, drop: 'rcpt' });
  const dropRcpt = await attempt(['rcpt@example.test'], {});
  assert.equal(dropRcpt.error?.kind, 'dropped');
  assert.equal(dropRcpt.error?.stage, 'rcpt');
  sink.set({ users: { alice: PASSWORD } });
  const injected = await c.request('mail', 'open', { from: 's@example.test', to: ['a@example.test>\r\nRCPT TO:<evil@example.test'], head: b64(HEAD), id_at: null, id_line: null, stuffed: false }, String(++n));
  assert.equal(injected.error?.code, 'bad_params', 'a CR/LF in an address is refused, never sent as a command');
  const sessions = sink.sessions;
  const refused = await attempt(['rcpt@example.test'], { port: 1 });
  assert.equal(refused.error?.kind, 'refused');
  assert.equal(sink.sessions, sessions, 'no retry elsewhere');
  assert.equal(sink.received.length, count + 1, 'only the skip_bad message was delivered among the faults');
  await d.kill('SIGTERM');
  assert.equal(stateBytes(home).includes(PASSWORD), false, 'the password is nowhere in the state directory');
  await sink.close();
});

test('STARTTLS: upgraded when offered (allowed, required), plain when never; required without it fails', async () => {
  const tlsSink = await startSink({ tls: true, users: { alice: PASSWORD } });
  const home = tempDir();
  const d = await startDaemon(home);
  const c = await d.client();
  let n = 100;
  const send = async (sink: Sink, extra: Record<string, unknown>) => {
    const o = await c.request('mail', 'open', { from: 's@example.test', to: ['rcpt@example.test'], head: b64(HEAD), id_at: null, id_line: null, stuffed: false, data: b64('\r\nover tls\r\n') }, String(++n));
    const message = (o.result as { message: string }).message;
    const r = await c.request('mail', 'send', { message, ...server(sink), ...extra }, String(++n));
    await c.request('mail', 'discard', { message }, String(++n));
    return r as { success: boolean; error?: Record<string, unknown> };
  };
  const auth = { auth: { method: 'PLAIN', user: 'alice' }, password: PASSWORD };
  for (const tls of ['allowed', 'required']) {
    const r = await send(tlsSink, { tls, ...auth });
    assert.equal(r.success, true, `${tls}: ${JSON.stringify(r.error)}`);
    assert.equal(tlsSink.received.at(-1)!.secure, true, `${tls}: the message went over TLS`);
    assert.equal(tlsSink.received.at(-1)!.user, 'alice', 'AUTH after the upgrade');
  }
  const checked = await send(tlsSink, { tls: 'required', tls_verify: true, ...auth });
  assert.equal(checked.error?.stage, 'starttls', 'a self-signed certificate is refused when it is checked');
  assert.match(String(checked.error?.message), /TLS handshake failed/);
  const plainSink = await startSink();
  const never = await send(plainSink, { tls: 'never' });
  assert.equal(never.success, true);
  assert.equal(plainSink.received.at(-1)!.secure, false);
  const required = await send(plainSink, { tls: 'required' });
  assert.equal(required.error?.kind, 'tls_unsupported');
  assert.equal(plainSink.received.length, 1, 'nothing sent in clear when TLS is required');
  await d.kill('SIGTERM');
  await tlsSink.close();
  await plainSink.close();
});

test('resend_in_doubt (CPAN_BRIDGE_MAIL_RESEND_IN_DOUBT in the shims): a crash between the "." and the 250 sends it again', async () => {
  const sink = await startSink({ replyDelay: 3000 });
  const home = tempDir();
  let d = await startDaemon(home);
  let c = await d.client();
  const o = await c.request('mail', 'open', { from: 's@example.test', to: ['rcpt@example.test'], head: b64(HEAD), id_at: HEAD.length, id_line: 'Message-ID: <{id}@x>\r\n', stuffed: false, data: b64('\r\nbody\r\n') }, '1');
  const message = (o.result as { message: string }).message;
  const params = { message, ...server(sink), resend_in_doubt: true };
  const pending = c.request('mail', 'send', params, '2');
  while (sink.received.length < 1) await new Promise((res) => setTimeout(res, 20));
  await d.kill('SIGKILL');
  assert.equal((await pending).error?.code, 'disconnected');
  sink.set({});
  d = await startDaemon(home);
  c = await d.client(c.session);
  const again = await c.request('mail', 'send', params, '2');
  assert.equal(again.success, true, JSON.stringify(again.error));
  assert.equal(sink.received.length, 2, 'sent again, by the script\'s choice (a server that drops duplicates by Message-ID)');
  assert.equal(sink.received[0]!.data.toString(), sink.received[1]!.data.toString(), 'the same bytes and Message-ID');
  await d.kill('SIGTERM');
  await sink.close();
});

test('a dialog begun at open (Mail::Sender talks to the server in Open): crashes at open and send still deliver once', async () => {
  const sink = await startSink({ reject: { 'bad@example.test': 550 } });
  const run = async (r: Resilient) => {
    const o = await r.call('1', 'mail', 'open', { from: 'sender@example.test', to: ['rcpt@example.test'], head: b64(HEAD), id_at: HEAD.length, id_line: 'Message-ID: <{id}@example.test>\r\n', stuffed: false, data: b64('\r\n'), session: server(sink) });
    assert.deepEqual(o.accepted, ['rcpt@example.test'], 'the envelope was accepted at open');
    await r.call('2', 'mail', 'write', { message: o.message, data: b64(CHUNKS.join('')) });
    const reply = await r.request('3', 'mail', 'send', { message: o.message, ...server(sink) });
    await r.call('4', 'mail', 'discard', { message: o.message });
    return reply;
  };
  for (const fn of ['mail.open#1', 'mail.send#1']) {
    for (const phase of PHASES) {
      const before = sink.received.length;
      const d = await startDaemon(tempDir(), { CPAN_BRIDGE_CRASH_AT: `${fn}:${phase}` });
      const r = new Resilient(d, await d.client(), {});
      const reply = await run(r);
      assert.equal(reply.success, true, `${fn}:${phase}: ${JSON.stringify(reply.error)}`);
      assert.equal(sink.received.length - before, 1, `${fn}:${phase}: delivered once`);
      await r.d.kill('SIGTERM');
    }
  }
  // refused at open: the error comes from open, no DATA, and nothing is left open on the server
  const d = await startDaemon(tempDir());
  const c = await d.client();
  const bad = await c.request('mail', 'open', { from: 's@example.test', to: ['bad@example.test'], head: b64(HEAD), id_at: null, id_line: null, stuffed: false, session: server(sink) }, '1');
  assert.equal(bad.error?.code, 'mail_error');
  assert.equal((bad.error as unknown as { stage: string }).stage, 'rcpt');
  await d.kill('SIGTERM');
  await sink.close();
});
