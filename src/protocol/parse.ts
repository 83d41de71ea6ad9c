// A request body from bytes to an object, refusing what JSON.parse would let through or choke on
// later: an empty body, bytes that are not UTF-8 (they would become U+FFFD, even in request ids),
// and nesting deeper than the limit (it overflows the stack of every recursive walk after parsing).
import { BridgeError } from '../errors';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The deepest nesting of arrays and objects in a JSON text, stopping as soon as it passes `max`. */
export function exceedsDepth(text: string, max: number): boolean {
  if (text.length <= max) return false; // each level takes at least one character
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // a string is skipped in one search (a megabyte of base64 is most of a large frame): to
      // the next quote not escaped, i.e. preceded by an even number of backslashes
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return false; // unterminated: JSON.parse says so
        let k = i - 1;
        while (text.charCodeAt(k) === 0x5c /* \ */) k--;
        if ((i - 1 - k) % 2 === 0) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}

/** Decodes one message: an object, or a BridgeError `bad_frame` / `too_deep`. */
export function parseMessage(body: Buffer, maxDepth: number): Record<string, unknown> {
  if (body.length === 0) throw new BridgeError('bad_frame', 'empty frame (length 0): a frame must hold one JSON object');
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new BridgeError('bad_frame', 'frame is not valid UTF-8 (send bytes as {"$b64": ...})');
  }
  if (exceedsDepth(text, maxDepth)) {
    throw new BridgeError('too_deep', `JSON nested deeper than ${maxDepth} levels (max_nesting_depth)`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new BridgeError('bad_frame', `malformed frame: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new BridgeError('bad_frame', 'malformed frame: a frame must hold one JSON object');
  return v as Record<string, unknown>;
}
