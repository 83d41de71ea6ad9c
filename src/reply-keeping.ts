// What the journal keeps of a reply for a resend after a crash (FunctionDef.keepReply). By default
// the reply itself; a reply that carries a script's data (ciphertext, plaintext, file contents) is
// kept sealed with the journal key, or not at all when the module can answer a resend again from
// the state it journaled ('rerun'). Stored bodies stay JSON (journal verify parses them).
import type { Sealer } from '../journal/secrets';
import type { FunctionDef } from './kit/types';

const RERUN = '{"rerun":true}';
const SEALED_PREFIX = '{"sealed":';

/** The body to store in the request record. Errors are kept as they are: they hold no data. */
export function toKept(def: FunctionDef, body: string, sealer: Sealer): string {
  if (!def.keepReply || !body.startsWith('{"success":true')) return body;
  return def.keepReply === 'rerun' ? RERUN : `${SEALED_PREFIX}${JSON.stringify(sealer.seal(body))}}`;
}

/** A stored body back as the reply to send, or 'rerun' when the function must answer it again. */
export function fromKept(stored: string, sealer: Sealer): string | 'rerun' {
  if (stored === RERUN) return 'rerun';
  if (stored.startsWith(SEALED_PREFIX)) return sealer.unseal((JSON.parse(stored) as { sealed: string }).sealed);
  return stored;
}
