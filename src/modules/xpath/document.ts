// A document as XML::XPath builds it from XML::Parser's events, on an xmldom tree: no XML
// declaration, doctype or whitespace at document level, CDATA folded into the text around it
// (one text node per run of character data), xmlns attributes kept apart as namespace nodes.

export const ELEMENT = 1;
export const ATTRIBUTE = 2;
export const TEXT = 3;
export const CDATA = 4;
export const PI = 7;
export const COMMENT = 8;
export const DOCUMENT = 9;
/** XML::XPath's NAMESPACE_NODE (xpath's own namespace nodes have nodeType '__namespace'). */
export const NAMESPACE = 17;

/** The parts of a DOM node this module reads (xmldom's and xpath's namespace nodes alike). */
export interface DomNode {
  nodeType: number | string;
  nodeName: string;
  localName?: string | null;
  prefix?: string | null;
  namespaceURI?: string | null;
  nodeValue?: string | null;
  data?: string;
  target?: string;
  value?: string;
  parentNode: DomNode | null;
  ownerElement?: DomNode | null;
  ownerDocument?: DomNode | null;
  childNodes: ArrayLike<DomNode> & { length: number };
  attributes?: ArrayLike<DomNode> & { length: number; getNamedItem?(n: string): DomNode | null };
  firstChild?: DomNode | null;
  nextSibling?: DomNode | null;
  documentElement?: DomNode | null;
  removeChild(n: DomNode): DomNode;
  appendChild(n: DomNode): DomNode;
  insertBefore(n: DomNode, ref: DomNode | null): DomNode;
  setAttribute?(name: string, value: string): void;
  createTextNode?(s: string): DomNode;
  createElement?(name: string): DomNode;
  createElementNS?(uri: string | null, name: string): DomNode;
  createAttribute?(name: string): DomNode;
}

export const isNsDecl = (a: DomNode) => a.nodeName === 'xmlns' || a.nodeName.startsWith('xmlns:');

/** The attributes XML::XPath has (xmlns declarations are namespace nodes there). */
export function attributesOf(el: DomNode): DomNode[] {
  const out: DomNode[] = [];
  const attrs = el.attributes;
  if (!attrs) return out;
  for (let i = 0; i < attrs.length; i++) if (!isNsDecl(attrs[i])) out.push(attrs[i]);
  return out;
}

/** The element's own namespace declarations: [prefix ('#default' for xmlns), uri]. */
export function namespacesOf(el: DomNode): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const attrs = el.attributes;
  if (!attrs) return out;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i];
    if (a.nodeName === 'xmlns') out.push(['#default', a.value ?? '']);
    else if (a.nodeName.startsWith('xmlns:')) out.push([a.nodeName.slice(6), a.value ?? '']);
  }
  return out;
}

/** The URI the prefix ('#default' or '') is declared to at `n` (Element::getNamespace), or null. */
export function namespaceFor(n: DomNode | null, prefix: string): string | null {
  const want = prefix === '' ? '#default' : prefix;
  if (want === 'xml') return 'http://www.w3.org/XML/1998/namespace';
  for (let e = n; e && e.nodeType === ELEMENT; e = e.parentNode) {
    for (const [p, uri] of namespacesOf(e)) if (p === want) return uri;
  }
  return null;
}

export function prefixOf(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? '' : name.slice(0, i);
}

export function localOf(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

export const isNamespaceNode = (n: DomNode) => n.nodeType === '__namespace';

/** XML::XPath's node type number. */
export function typeOf(n: DomNode): number {
  if (isNamespaceNode(n)) return NAMESPACE;
  if (n.nodeType === DOCUMENT) return ELEMENT; // XML::XPath's root is a nameless element
  return n.nodeType as number;
}

export function stringValue(n: DomNode): string {
  switch (n.nodeType) {
    case ATTRIBUTE: return n.value ?? '';
    case TEXT: case CDATA: case COMMENT: case PI: return n.data ?? '';
    case '__namespace': return n.nodeValue ?? '';
    default: {
      let s = '';
      const stack: DomNode[] = [n];
      while (stack.length) {
        const c = stack.pop()!;
        if (c.nodeType === TEXT || c.nodeType === CDATA) s += c.data ?? '';
        else if (c.nodeType === ELEMENT || c.nodeType === DOCUMENT) {
          for (let i = c.childNodes.length - 1; i >= 0; i--) stack.push(c.childNodes[i]);
        }
      }
      return s;
    }
  }
}

const ENTITY: Record<string, string> = { '<': '&lt;', '&': '&amp;', '"': '&quot;', '>': '&gt;', "'": '&apos;' };

/** XML::XPath::Node::XMLescape: the given characters and "]]>". */
export function xmlEscape(s: string, chars: string): string {
  return s.replace(/]]>|[\s\S]/g, (m) => (m === ']]>' ? ']]&gt;' : chars.includes(m) ? ENTITY[m] : m));
}

/** XML::XPath's toString of a node (iterative: documents may nest deeper than the stack). */
export function toXml(n: DomNode): string {
  const parts: string[] = [];
  const stack: Array<DomNode | string> = [n];
  while (stack.length) {
    const x = stack.pop()!;
    if (typeof x === 'string') { parts.push(x); continue; }
    switch (x.nodeType) {
      case DOCUMENT:
        for (let i = x.childNodes.length - 1; i >= 0; i--) stack.push(x.childNodes[i]);
        break;
      case ELEMENT: {
        parts.push('<', x.nodeName);
        for (const [p, uri] of namespacesOf(x)) parts.push(p === '#default' ? ' xmlns="' : ` xmlns:${p}="`, xmlEscape(uri, '"&<'), '"');
        for (const a of attributesOf(x)) parts.push(' ', a.nodeName, '="', xmlEscape(a.value ?? '', '"&><'), '"');
        if (x.childNodes.length) {
          parts.push('>');
          stack.push(`</${x.nodeName}>`);
          for (let i = x.childNodes.length - 1; i >= 0; i--) stack.push(x.childNodes[i]);
        } else parts.push(' />');
        break;
      }
      case ATTRIBUTE: parts.push(' ', x.nodeName, '="', xmlEscape(x.value ?? '', '"&><'), '"'); break;
      case TEXT: case CDATA: parts.push(xmlEscape(x.data ?? '', '<&')); break;
      case COMMENT: parts.push('<!--', (x.data ?? '').replace(/--/g, '&#45;&#45;'), '-->'); break;
      case PI: parts.push('<?', x.target ?? '', ' ', xmlEscape(x.data ?? '', '>'), '?>'); break;
      case '__namespace': {
        const p = x.localName || '';
        parts.push(p === '' ? ' xmlns="' : ` xmlns:${p}="`, xmlEscape(x.nodeValue ?? '', '"&<'), '"');
        break;
      }
      default:
    }
  }
  return parts.join('');
}

/**
 * Appends `child` to `parent`. XML::XPath lets createNode add a second element at the top of a
 * document, which xmldom's Document refuses: that one is linked in by hand as xmldom itself
 * links an appended node (siblings, parent, the childNodes list, its change counter).
 */
export function appendLoose(parent: DomNode, child: DomNode): void {
  if (parent.nodeType !== DOCUMENT || !Array.from(parent.childNodes).some((c) => c.nodeType === ELEMENT)) {
    parent.appendChild(child);
    return;
  }
  const p = parent as DomNode & { lastChild: DomNode | null; _inc?: number };
  const c = child as DomNode & { previousSibling: DomNode | null; nextSibling: DomNode | null };
  const last = p.lastChild;
  c.previousSibling = last;
  c.nextSibling = null;
  if (last) (last as unknown as { nextSibling: DomNode | null }).nextSibling = c;
  else p.firstChild = c;
  p.lastChild = c;
  c.parentNode = p;
  c.ownerDocument = p;
  const list = p.childNodes as unknown as { length: number; [i: number]: DomNode };
  list[list.length++] = c;
  if (p._inc) p._inc++;
}
