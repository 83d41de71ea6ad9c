// A parsed document in the daemon: its nodes are named by stable paths (child positions from
// the root, "@name" for an attribute, "#prefix" for a namespace node), so a node handle held by
// a script means the same node after a restart, once the document's changes are replayed.
// setNodeText and createNode change it as XML::XPath's do.
import { BridgeError } from '../../errors';
import { buildDocument } from './build';
import {
  ATTRIBUTE, type DomNode, ELEMENT, appendLoose, attributesOf, isNamespaceNode, localOf, namespaceFor, namespacesOf, prefixOf,
  stringValue, toXml, typeOf,
} from './document';
import { invalidateOrder } from './order';
import { evaluate, toWire, type WireNode, type WireResult, wireNode } from './query';
import { isNodeSet, type Value, X } from './values';

export class XDoc {
  readonly root: DomNode;

  constructor(xml: string) {
    this.root = buildDocument(xml);
  }

  pathOf = (n: DomNode): string => {
    if (isNamespaceNode(n)) {
      const base = (n as unknown as { baseNode?: DomNode | null }).baseNode;
      const p = base ? (base.nodeName !== 'xmlns' ? base.nodeName.slice(6) : '#default') : n.localName ?? 'xml';
      return `${this.pathOf(n.ownerElement!)}#${p}`;
    }
    if (n.nodeType === ATTRIBUTE) return `${this.pathOf(n.ownerElement!)}@${n.nodeName}`;
    const parts: number[] = [];
    for (let c = n; c.parentNode; c = c.parentNode) parts.push(this.indexOf(c.parentNode, c));
    return parts.reverse().map((i) => `/${i}`).join('');
  };

  /** Child positions, a map per parent made once per version of the document (large node-sets). */
  private positions = new WeakMap<DomNode, Map<DomNode, number>>();

  private indexOf(parent: DomNode, child: DomNode): number {
    let m = this.positions.get(parent);
    if (!m) {
      m = new Map();
      for (let i = 0; i < parent.childNodes.length; i++) m.set(parent.childNodes[i], i);
      this.positions.set(parent, m);
    }
    return m.get(child) ?? -1;
  }

  /** The document changed: positions and document order are numbered again when next asked. */
  private changed(): void {
    this.positions = new WeakMap();
    invalidateOrder(this.root);
  }

  nodeAt(path: string): DomNode {
    const m = /^((?:\/\d+)*)(?:@(.+)|#(.+))?$/.exec(path);
    if (!m) throw new BridgeError('bad_params', `not a node path: ${path}`);
    let n = this.root;
    for (const i of m[1].split('/').slice(1).map(Number)) {
      const c = n.childNodes[i];
      if (!c) throw new BridgeError('bad_params', `no node at ${path} (the document changed)`);
      n = c;
    }
    if (m[2] !== undefined) {
      const a = attributesOf(n).find((x) => x.nodeName === m[2]);
      if (!a) throw new BridgeError('bad_params', `no attribute at ${path} (the document changed)`);
      return a;
    }
    if (m[3] !== undefined) {
      const want = m[3] === '#default' ? '' : m[3];
      const found = evaluate('namespace::*', n, new Map());
      const hit = (isNodeSet(found) ? found.toArray() : []).find((x) => (x.localName ?? '') === want);
      if (!hit) throw new BridgeError('bad_params', `no namespace node at ${path}`);
      return hit;
    }
    return n;
  }

  find(expr: string, context: string | null, ns: Record<string, string>): Value {
    if (!expr || expr === '0') throw new BridgeError('xpath_error', 'No path to find at /usr/share/perl5/XML/XPath.pm line 145.\n');
    return evaluate(expr, context === null ? this.root : this.nodeAt(context), new Map(Object.entries(ns)));
  }

  /** A query's result; `literal`: a node-set as findvalue gives it (every node's string value joined). */
  query(expr: string, context: string | null, ns: Record<string, string>, literal = false): WireResult {
    return toWire(this.find(expr, context, ns), this.pathOf, literal);
  }

  /** What the shim asks of one node (its name, value, neighbours, XML). */
  describe(path: string, what: string): unknown {
    const n = this.nodeAt(path);
    const t = typeOf(n);
    const wire = (x: DomNode) => wireNode(x, this.pathOf);
    switch (what) {
      case 'info': {
        const named = (t === ELEMENT && n.nodeType !== 9) || t === ATTRIBUTE;
        const el = n.nodeType === ATTRIBUTE ? n.ownerElement ?? null : n;
        const prefix = named ? prefixOf(n.nodeName) : null;
        let nsUri: string | null = null;
        let nsPrefix: string | null = null;
        if (named && el) {
          const p = n.nodeType === ATTRIBUTE ? prefix || prefixOf(el.nodeName) : prefix!;
          nsUri = namespaceFor(el, p);
          nsPrefix = p === '' ? '#default' : p;
        }
        return {
          t, name: named ? n.nodeName : null, local: named ? localOf(n.nodeName) : null, prefix,
          value: stringValue(n), target: t === 7 ? n.target ?? '' : null,
          ns: nsUri === null ? null : { prefix: nsPrefix, uri: nsUri },
          nsPrefix: isNamespaceNode(n) ? (n.localName || '#default') : null,
        };
      }
      case 'children': return t === ELEMENT ? Array.from(n.childNodes).map(wire) : [];
      case 'attributes': return t === ELEMENT && n.nodeType !== 9 ? attributesOf(n).map(wire) : [];
      case 'namespaces': return t === ELEMENT && n.nodeType !== 9 ? namespacesOf(n).map(([p, uri]) => ({ prefix: p, uri })) : [];
      case 'parent': {
        const p = n.nodeType === ATTRIBUTE || isNamespaceNode(n) ? n.ownerElement ?? null : n.parentNode;
        return p ? wire(p) : null;
      }
      case 'xml': return toXml(n);
      default: throw new BridgeError('bad_params', `unknown node aspect ${what}`);
    }
  }

  /** XML::XPath::setNodeText: 1, or null where it returns undef. */
  setNodeText(expr: string, text: string, ns: Record<string, string>): 1 | null {
    const found = this.find(expr, null, ns);
    let nodes = isNodeSet(found) ? found.toArray() : [];
    if (!nodes.length) {
      const m = /\/(?:@|attribute::)([^/]+)$/.exec(expr);
      if (!m) return null;
      const parents = this.find(expr.slice(0, m.index), null, ns);
      // XML::XPath appends the new attribute to each parent, then sets every found node (none)
      for (const p of isNodeSet(parents) ? parents.toArray() : []) this.setAttr(p, m[1], text);
      nodes = [];
    }
    for (const n of nodes) {
      if (n.nodeType === ATTRIBUTE) {
        n.value = text;
        n.nodeValue = text;
        (n as unknown as { textContent: string }).textContent = text;
      } else {
        for (const c of Array.from(n.childNodes)) n.removeChild(c);
        n.appendChild(this.ownerDoc().createTextNode!(text));
      }
    }
    this.changed();
    return 1;
  }

  private ownerDoc(): DomNode {
    return this.root;
  }

  private setAttr(el: DomNode, name: string, value: string): void {
    if (el.nodeType !== ELEMENT) return;
    el.setAttribute!(name, value);
  }

  /** XML::XPath::createNode: the node at the end of a path of child and attribute steps, made as needed. */
  createNode(expr: string, ns: Record<string, string>): WireNode | null {
    const steps = this.simpleSteps(expr);
    let p = steps.length - 1;
    let prev: DomNode | null = null;
    for (; p >= 0; p--) {
      const r = this.find(`(/${steps.slice(0, p + 1).map((s) => s.text).join('/')})`, null, ns);
      const nodes = isNodeSet(r) ? r.toArray() : [];
      if (nodes.length > 1) return null;
      if (nodes.length === 1) { prev = nodes[0]; break; }
    }
    if (!prev) prev = this.root;
    let made: DomNode = prev;
    for (p++; p < steps.length; p++) {
      const s = steps[p];
      const testPath = `(/${steps.slice(0, p + 1).map((x) => x.text).join('/')})`;
      // as XML::XPath: add nodes until the path up to this step finds one (baz[3] makes up to 3)
      let found: DomNode[] = [];
      for (let tries = 0; found.length < 1; tries++) {
        if (tries >= 10_000) throw new BridgeError('xpath_error', `createNode: ${testPath} finds no node after 10000 additions (XML::XPath would loop forever)`);
        if (s.axis === 'child') appendLoose(made, this.ownerDoc().createElement!(s.name));
        else if (s.axis === 'attribute') made.setAttribute!(s.name, '');
        this.changed();
        const r = this.find(testPath, null, ns);
        found = isNodeSet(r) ? r.toArray() : [];
        if (s.axis !== 'child' && s.axis !== 'attribute' && !found.length) break;
      }
      if (!found.length) return null;
      made = found[0];
    }
    this.changed();
    return wireNode(made, this.pathOf);
  }

  /** The steps of a location path as XML::XPath's Step::as_string writes them. */
  private simpleSteps(expr: string): Array<{ axis: string; name: string; text: string }> {
    type Lp = { steps: Array<{ axis: number; nodeTest: { name?: string } }> };
    const parsed = X.parse(expr).expression as { expression?: { locationPath?: Lp } };
    const lp = parsed.expression?.locationPath;
    if (!lp) throw new BridgeError('xpath_error', `createNode: ${expr} is not a location path`);
    const axisName = (a: number) => String(X.Step.STEPNAMES?.[a] ?? '');
    return lp.steps.map((s) => {
      const axis = axisName(s.axis);
      const name = s.nodeTest.name ?? '';
      return { axis, name, text: String(s) }; // the step with its predicates, as Step::as_string
    });
  }
}

export { stringValue };
