// The transport's floor for the latency figures: a Node Unix-socket server that answers each
// length-prefixed frame at once. MODE raw echoes the bytes; MODE json parses the request and
// stringifies a ping-shaped reply (the JSON work the daemon cannot avoid), nothing else.
//   node echo-server.js SOCKET
// Prints "LISTENING" once it serves; stops on SIGTERM.
// `node --test dist/test/` (npm test) treats every file under a test/ directory as a test file:
// this entry point does nothing when the test runner starts it.
if (process.env.NODE_TEST_CONTEXT) process.exit(0);
import * as fs from 'node:fs';
import * as net from 'node:net';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame';

const sock = process.argv[2];
if (!sock) {
  process.stderr.write('usage: echo-server.js SOCKET\n');
  process.exit(2);
}
try { fs.unlinkSync(sock); } catch { /* absent */ }
const server = net.createServer((s) => {
  const dec = new FrameDecoder(10 * 1024 * 1024);
  s.on('data', (chunk) => {
    for (const f of dec.push(chunk)) {
      if (f.charCodeAt(0) !== 0x7b /* '{' */) {
        // raw mode: not JSON, echoed as is
        s.write(encodeFrame(f));
        continue;
      }
      const req = JSON.parse(f) as { id: string; type?: string };
      if (req.type === 'hello') {
        // lets the real Perl client (CPANBridge::call) talk to this server: its own overhead, no daemon
        s.write(encodeFrame(JSON.stringify({ type: 'hello', success: true, result: { protocol: 1, daemon_version: 'echo', pid: process.pid } })));
        continue;
      }
      s.write(encodeFrame(JSON.stringify({ id: req.id, success: true, result: { pong: true } })));
    }
  });
  s.on('error', () => undefined);
});
server.listen(sock, () => process.stdout.write('LISTENING\n'));
process.on('SIGTERM', () => { server.close(); try { fs.unlinkSync(sock); } catch { /* gone */ } process.exit(0); });
