// Builds the document XML::XPath would build from XML::Parser's events: saxes parses strictly
// (expat's well-formedness rules, so a document XML::XPath refuses is refused here with expat's
// message), xmldom holds the tree the xpath library walks. Text and CDATA that follow each other
// make one text node; outside the root only comments and processing instructions are kept.
import { DOMImplementation } from '@xmldom/xmldom';
import { SaxesParser } from 'saxes';
import { BridgeError } from '../../errors';
import type { DomNode } from './document';
import { expatKind, expatMessage } from './parse-errors';

const XMLNS = 'http://www.w3.org/2000/xmlns/';

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** An entity's replacement text with its character references and predefined entities resolved. */
function decodeRefs(v: string): string {
  return v.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, r: string) =>
    r[0] === '#' ? String.fromCodePoint(r[1] === 'x' ? parseInt(r.slice(2), 16) : parseInt(r.slice(1), 10)) : PREDEFINED[r]);
}

export function buildDocument(xml: string): DomNode {
  const doc = new DOMImplementation().createDocument(null, '', null) as unknown as DomNode & {
    createElementNS(uri: string | null, q: string): DomNode;
    createElement(q: string): DomNode;
    createTextNode(s: string): DomNode;
    createComment(s: string): DomNode;
    createProcessingInstruction(t: string, d: string): DomNode;
  };
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: DomNode[] = [doc];
  const scopes: Array<Map<string, string>> = [new Map()];
  let rootEnd: number | null = null;
  let pendingText = '';
  let failure: { message: string; pos: number } | null = null;
  const flush = () => {
    if (pendingText === '') return;
    if (stack.length > 1) stack[stack.length - 1].appendChild(doc.createTextNode(pendingText));
    pendingText = '';
  };
  parser.on('error', (e) => {
    if (!failure) failure = { message: e.message, pos: parser.position };
    throw e;
  });
  // internal entities of the DTD, which expat expands (saxes reads no DTD)
  parser.on('doctype', (dt) => {
    const decl = /<!ENTITY\s+([^\s%>]+)\s+(?:"([^"]*)"|'([^']*)')\s*>/g;
    for (let m = decl.exec(dt); m; m = decl.exec(dt)) {
      if (!(m[1] in parser.ENTITIES)) parser.ENTITIES[m[1]] = decodeRefs(m[2] ?? m[3] ?? '');
    }
  });
  parser.on('text', (t) => { if (stack.length > 1) pendingText += t; });
  parser.on('cdata', (t) => { pendingText += t; });
  parser.on('comment', (c) => { flush(); stack[stack.length - 1].appendChild(doc.createComment(c)); });
  parser.on('processinginstruction', (pi) => {
    flush();
    stack[stack.length - 1].appendChild(doc.createProcessingInstruction(pi.target, pi.body));
  });
  parser.on('opentag', (tag) => {
    flush();
    const scope = new Map(scopes[scopes.length - 1]);
    const attrs = tag.attributes as Record<string, string>;
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'xmlns') scope.set('', v);
      else if (k.startsWith('xmlns:')) scope.set(k.slice(6), v);
    }
    const colon = tag.name.indexOf(':');
    const uri = scope.get(colon < 0 ? '' : tag.name.slice(0, colon));
    // a prefix XML::Parser (without Namespaces) never checked: kept as a plain qualified name
    const el = uri ? doc.createElementNS(uri, tag.name) : doc.createElement(tag.name);
    for (const [k, v] of Object.entries(attrs)) {
      const ac = k.indexOf(':');
      const p = ac < 0 ? '' : k.slice(0, ac);
      const e2 = el as unknown as { setAttributeNS(u: string | null, q: string, v: string): void; setAttribute(q: string, v: string): void };
      if (k === 'xmlns' || p === 'xmlns') e2.setAttributeNS(XMLNS, k, v);
      else if (p && scope.get(p)) e2.setAttributeNS(scope.get(p)!, k, v);
      else e2.setAttribute(k, v);
    }
    stack[stack.length - 1].appendChild(el);
    stack.push(el);
    scopes.push(scope);
  });
  parser.on('closetag', () => {
    flush();
    stack.pop();
    scopes.pop();
    if (stack.length === 1) rootEnd = parser.position;
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    const f = failure ?? { message: e instanceof Error ? e.message : String(e), pos: parser.position };
    const { kind, at } = expatKind(xml, f.message, f.pos, rootEnd);
    throw new BridgeError('xpath_error', expatMessage(xml, kind, at));
  }
  return doc;
}
