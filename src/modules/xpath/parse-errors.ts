// XML::Parser's (expat's) error texts for a malformed document, from saxes' strict parse:
// "\nmismatched tag at line 4, column 5, byte 17:\n" + two lines of context either side and a
// caret under the column, as XML::XPath (ErrorContext => 2) dies with at the first query.

/** saxes' message → expat's name of the error and where expat points (a string index). */
export function expatKind(xml: string, saxesMessage: string, pos: number, rootEnd: number | null): { kind: string; at: number } {
  const m = saxesMessage.replace(/^[^:]*:\d+:\d+: /, '');
  if (/unexpected close tag|unmatched closing tag/.test(m)) return { kind: 'mismatched tag', at: xml.lastIndexOf('</', pos) + 2 };
  if (/only one root|outside of root node/.test(m)) {
    if (rootEnd === null) return { kind: 'syntax error', at: firstNonSpace(xml, 0) };
    return { kind: 'junk after document element', at: firstNonSpace(xml, rootEnd) };
  }
  if (/unclosed tag|unexpected end|must contain a root element/.test(m)) {
    if (/must contain a root/.test(m) && xml.trim() !== '') return { kind: 'syntax error', at: firstNonSpace(xml, 0) };
    return { kind: 'no element found', at: xml.length };
  }
  if (/duplicate attribute: (.+)\.$/.test(m)) {
    const name = /duplicate attribute: (.+)\.$/.exec(m)![1];
    const tagStart = xml.lastIndexOf('<', pos);
    const re = new RegExp(`\\s(${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})\\s*=`, 'g');
    const seen: number[] = [];
    const tag = xml.slice(tagStart, pos + 1);
    for (let r = re.exec(tag); r; r = re.exec(tag)) seen.push(tagStart + r.index + 1);
    return { kind: 'duplicate attribute', at: seen.length > 1 ? seen[1] : pos };
  }
  if (/undefined entity/.test(m)) return { kind: 'undefined entity', at: xml.lastIndexOf('&', pos) };
  return { kind: 'not well-formed (invalid token)', at: Math.max(0, pos - 1) };
}

function firstNonSpace(xml: string, from: number): number {
  const r = /\S/g;
  r.lastIndex = from;
  const m = r.exec(xml);
  return m ? m.index : xml.length;
}

/** The whole text XML::Parser dies with (without its " at .../Parser.pm line N." tail). */
export function expatMessage(xml: string, kind: string, at: number): string {
  const before = xml.slice(0, at);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = at - lineStart;
  const byte = Buffer.byteLength(before, 'utf8');
  const lines = xml.split('\n');
  const ctx = lines.slice(Math.max(0, line - 3), line);
  const after = lines.slice(line, line + 2).filter((l, i, a) => !(i === a.length - 1 && l === '' && line + 2 >= lines.length));
  return `\n${kind} at line ${line}, column ${column}, byte ${byte}:\n${ctx.join('\n')}\n${'='.repeat(Math.max(0, column - 1))}^\n${after.map((l) => l + '\n').join('')}`;
}
