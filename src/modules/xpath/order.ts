// Document order as numbers: one preorder walk per document (redone after a change) instead of
// the xpath library's compareDocumentPosition for every pair, which walks ancestors each time
// and makes large node-sets quadratic. Namespace nodes come before attributes, as in XML::XPath.
import { ATTRIBUTE, type DomNode, isNamespaceNode, isNsDecl } from './document';

const orders = new WeakMap<DomNode, Map<DomNode, number>>();

function rootOf(n: DomNode): DomNode {
  let r = n;
  while (r.parentNode) r = r.parentNode;
  return r;
}

function number(root: DomNode): Map<DomNode, number> {
  const m = new Map<DomNode, number>();
  let i = 0;
  const stack: DomNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    m.set(n, i++);
    for (let c = n.childNodes.length - 1; c >= 0; c--) stack.push(n.childNodes[c]);
  }
  orders.set(root, m);
  return m;
}

/** Forgets the numbering of a document (it changed). */
export function invalidateOrder(doc: DomNode): void {
  orders.delete(doc);
}

function elementOrder(el: DomNode): number {
  const root = rootOf(el);
  let m = orders.get(root);
  if (!m || !m.has(el)) m = number(root);
  return m.get(el) ?? 0;
}

/** A number that sorts nodes in XML::XPath's document order. */
export function orderOf(n: DomNode): number {
  if (n.nodeType === ATTRIBUTE || isNamespaceNode(n)) {
    const owner = (isNamespaceNode(n) ? n.ownerElement : n.ownerElement) ?? null;
    if (!owner) return 0;
    if (!owner.attributes) return elementOrder(owner) + 0.5; // the root's xml namespace node
    const attrs = owner.attributes;
    const base = elementOrder(owner);
    // declarations first, then the other attributes, each in their order
    let decl = 0;
    let other = 0;
    let pos = 0;
    const total = attrs.length + 2;
    const target = isNamespaceNode(n) ? ((n as unknown as { baseNode?: DomNode }).baseNode ?? null) : n;
    const ndecl = Array.from({ length: attrs.length }, (_, i) => attrs[i]).filter(isNsDecl).length;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i];
      const isDecl = isNsDecl(a);
      const p = isDecl ? ++decl : ndecl + ++other;
      if (a === target) pos = p;
    }
    return base + pos / total;
  }
  return elementOrder(n);
}
