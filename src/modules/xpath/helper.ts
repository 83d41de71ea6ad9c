// The predecessor's XPathHelper nodes (and call_python 'xpath'): each found node copied eagerly
// (name, text, attributes), its text the predecessor's (the element's own text trimmed, else
// every descendant text piece trimmed and joined without separators), plus its node path.
import { ATTRIBUTE, attributesOf, type DomNode, ELEMENT, TEXT, stringValue } from './document';
import type { XDoc } from './xdoc';
import { isNodeSet } from './values';

function helperText(n: DomNode): string {
  if (n.nodeType !== ELEMENT) return n.nodeType === ATTRIBUTE ? '' : stringValue(n).trim();
  const own = Array.from(n.childNodes).filter((c) => c.nodeType === TEXT).map((c) => c.data ?? '').join('').trim();
  if (own) return own;
  const pieces: string[] = [];
  const walk = (x: DomNode) => {
    for (const c of Array.from(x.childNodes)) {
      if (c.nodeType === TEXT) { const t = (c.data ?? '').trim(); if (t) pieces.push(t); } else if (c.nodeType === ELEMENT) walk(c);
    }
  };
  walk(n);
  return pieces.join('');
}

export function helperFind(d: XDoc, expr: string, context: string | null): Array<Record<string, unknown>> {
  const r = d.find(expr, context, {});
  if (!isNodeSet(r)) return [];
  return r.toArray().map((n) => ({
    node_id: d.pathOf(n),
    name: n.nodeType === ELEMENT || n.nodeType === ATTRIBUTE ? n.nodeName : '',
    text: helperText(n),
    attributes: n.nodeType === ELEMENT ? Object.fromEntries(attributesOf(n).map((a) => [a.nodeName, a.value ?? ''])) : {},
  }));
}
