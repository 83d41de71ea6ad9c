// XML::XPath's name tests (Step.pm node_test/test_attribute): an unprefixed name compares the
// node's qualified name (so `item` matches <item> in a default namespace, not <x:item>); a
// prefix resolves through set_namespace first, then the node's own declarations, and an
// unknown prefix matches nothing (no error). xmlns attributes are namespace nodes, not attributes.
import { ATTRIBUTE, type DomNode, ELEMENT, isNamespaceNode, isNsDecl, localOf, namespaceFor, prefixOf } from './document';
import { X } from './values';

export interface NsContext { registered?: Map<string, string> }

function matchNs(prefix: string, n: DomNode, xpc: NsContext): string | null {
  const reg = xpc.registered?.get(prefix);
  if (reg) return reg;
  const el = n.nodeType === ATTRIBUTE ? n.ownerElement ?? null : n;
  return namespaceFor(el, prefix);
}

/** The URI of the node's own namespace node (Node::getNamespace without a prefix). */
function ownNs(n: DomNode): string | null {
  if (n.nodeType === ELEMENT) return namespaceFor(n, prefixOf(n.nodeName));
  const owner = n.ownerElement ?? null;
  const p = prefixOf(n.nodeName);
  return owner ? namespaceFor(owner, p || prefixOf(owner.nodeName)) : null;
}

const principal = (n: DomNode) => n.nodeType === ELEMENT || (n.nodeType === ATTRIBUTE && !isNsDecl(n));

let patched = false;

export function patchNameTests(): void {
  if (patched) return;
  patched = true;
  const NT = X.NodeTest;
  const qnameMatches = NT.NameTestQName.prototype.matches;
  NT.NameTestQName.prototype.matches = function (this: { name: string }, n: DomNode, xpc: NsContext) {
    if (isNamespaceNode(n)) return declaredHere(n) && qnameMatches.call(this, n, xpc);
    if (!principal(n)) return false;
    const name = this.name;
    const colon = name.indexOf(':');
    if (colon < 0) return n.nodeName === name;
    const want = matchNs(name.slice(0, colon), n, xpc);
    const have = ownNs(n);
    return want !== null && have !== null && want === have && localOf(n.nodeName) === name.slice(colon + 1);
  };
  const prefixAny = NT.NameTestPrefixAny.prototype.matches;
  NT.NameTestPrefixAny.prototype.matches = function (this: { prefix: string }, n: DomNode, xpc: NsContext) {
    if (isNamespaceNode(n)) return declaredHere(n) && prefixAny.call(this, n, xpc);
    if (!principal(n)) return false;
    const want = matchNs(this.prefix, n, xpc);
    const have = ownNs(n);
    return have !== null && (want ?? '') === have;
  };
  const any = NT.nameTestAny.matches;
  NT.nameTestAny.matches = function (n: DomNode, xpc: NsContext) {
    if (isNamespaceNode(n)) return declaredHere(n);
    return principal(n) && any.call(this, n, xpc);
  };
  // node() on the attribute axis: XML::XPath's attributes exclude the declarations
  const nodeTest = NT.nodeTest.matches;
  NT.nodeTest.matches = function (n: DomNode, xpc: NsContext) {
    if (n.nodeType === ATTRIBUTE && isNsDecl(n)) return false;
    if (isNamespaceNode(n)) return declaredHere(n);
    return nodeTest.call(this, n, xpc);
  };
}

/** XML::XPath's namespace axis has the element's own declarations only. */
function declaredHere(n: DomNode): boolean {
  const x = n as unknown as { baseNode?: DomNode | null; rootXml?: boolean };
  if (x.rootXml) return true;
  const base = x.baseNode ?? null;
  return base !== null && base.ownerElement === n.ownerElement;
}
