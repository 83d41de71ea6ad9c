// Where XML::XPath's axes differ from the xpath library's: preceding:: and following:: are the
// siblings' subtrees of the node and of each ancestor (the library's take in ancestors or descendants);
// processing-instruction() without a target dies on the first PI it meets (Step.pm reads the
// undefined literal), with the axis XML::XPath had made of it (`//x` is its descendant axis);
// elements reached through parent and ancestor axes are XML::XPath::Node::ElementImpl objects.
import { DOCUMENT, type DomNode, PI } from './document';
import { X } from './values';

interface StepLike { axis: number; nodeTest: { matches(n: DomNode, c: unknown): boolean }; predicates: unknown[] }
interface Xpc { contextNode: DomNode; implNodes?: Set<DomNode>; viaDescendant?: boolean }

export class PiTargetDie extends Error {}

const next = (n: DomNode, which: 'previousSibling' | 'nextSibling') => (n as unknown as Record<string, DomNode | null>)[which] ?? null;

const ANCESTRAL = new Set<number>();

/**
 * A predicate whose value cannot depend on the context position or size: a comparison, a logical
 * operation or a path (a boolean or node-set), with position() and last() nowhere inside.
 */
function positionFree(pred: unknown): boolean {
  const top = ['EqualsOperation', 'NotEqualOperation', 'LessThanOperation', 'GreaterThanOperation', 'LessThanOrEqualOperation',
    'GreaterThanOrEqualOperation', 'AndOperation', 'OrOperation', 'PathExpr'];
  if (!top.some((k) => pred instanceof X[k])) return false;
  // a PathExpr may be a bare number or string (`[1]`): only a location path gives a node-set
  if (pred instanceof X.PathExpr && (pred as { filter?: unknown }).filter != null) return false;
  const seen = new Set<unknown>();
  const walk = (x: unknown): boolean => {
    if (!x || typeof x !== 'object' || seen.has(x)) return true;
    seen.add(x);
    if (x instanceof X.FunctionCall) {
      const name = String((x as { functionName: unknown }).functionName);
      if (name === 'position' || name === 'last') return false;
    }
    if (x instanceof X.XNumber && x !== pred) return true;
    return Object.values(x as Record<string, unknown>).every(walk);
  };
  return walk(pred);
}

const rootXml = new WeakMap<DomNode, DomNode>();

/** The root's namespace node for xml (one per document, so that it is the same node each time). */
function rootXmlNamespace(doc: DomNode): DomNode {
  let n = rootXml.get(doc);
  if (!n) {
    n = {
      isXPathNamespace: true, rootXml: true, nodeType: '__namespace', nodeName: 'xml', prefix: 'xml', localName: 'xml', namespaceURI: null,
      nodeValue: 'http://www.w3.org/XML/1998/namespace', ownerElement: doc, ownerDocument: doc, baseNode: null, parentNode: null, childNodes: [],
    } as unknown as DomNode;
    rootXml.set(doc, n);
  }
  return n;
}

let patched = false;

export function patchAxes(): void {
  if (patched) return;
  patched = true;
  const S = X.Step;
  for (const a of [S.ANCESTOR, S.ANCESTORORSELF, S.PARENT]) ANCESTRAL.add(a);
  const NT = X.NodeTest;
  const original = X.PathExpr.applyStep;
  X.PathExpr.applyStep = function applyStep(step: StepLike, xpc: Xpc, node: DomNode): DomNode[] {
    let out: DomNode[];
    if (step.axis === S.PRECEDING || step.axis === S.FOLLOWING) {
      const sibling = step.axis === S.PRECEDING ? 'previousSibling' : 'nextSibling';
      out = [];
      const subtree = (n: DomNode) => {
        const stack = [n];
        while (stack.length) {
          const x = stack.pop()!;
          if (step.nodeTest.matches(x, xpc)) out.push(x);
          for (let i = x.childNodes.length - 1; i >= 0; i--) stack.push(x.childNodes[i]);
        }
      };
      // an attribute's or namespace node's siblings are none: its element's are next
      const start = node.nodeType === 2 || node.nodeType === '__namespace' ? node.ownerElement ?? null : node;
      for (let c: DomNode | null = start; c && c.parentNode; c = c.parentNode) {
        for (let s = next(c, sibling); s; s = next(s, sibling)) subtree(s);
      }
    } else if (step.axis === S.NAMESPACE && node.nodeType === DOCUMENT) {
      // XML::XPath's root is an element that declares the xml prefix
      out = [rootXmlNamespace(node)].filter((n) => step.nodeTest.matches(n, xpc));
    } else {
      if (step.nodeTest === NT.anyPiTest) {
        const axis = xpc.viaDescendant && step.axis === S.CHILD ? 'descendant' : String(S.STEPNAMES[step.axis]);
        try {
          out = original.call(this, step, xpc, node);
        } catch (e) {
          if (e instanceof PiTargetDie) throw new PiTargetDie(`axis axis_${axis.replace(/-/g, '_')} not implemented [${e.message}]\n`);
          throw e;
        }
      } else out = original.call(this, step, xpc, node);
    }
    if (xpc.implNodes) {
      if (ANCESTRAL.has(step.axis)) for (const n of out) { if (n !== node) xpc.implNodes.add(n); }
      else for (const n of out) xpc.implNodes.delete(n);
    }
    return out;
  };
  // `//` before a child step without predicates: XML::XPath makes one descendant step of them
  // (Parser.pm optimise_descendant_or_self), which also spares a step per node of the document
  const applySteps = X.PathExpr.applySteps;
  const isDos = (s: StepLike | undefined) => !!s && s.axis === S.DESCENDANTORSELF && s.nodeTest === NT.nodeTest && !s.predicates.length;
  X.PathExpr.applySteps = function (steps: StepLike[], xpc: Xpc, nodes: DomNode[]) {
    let cur = nodes;
    for (let i = 0; i < steps.length; i++) {
      const next = steps[i + 1];
      if (isDos(steps[i]) && next && next.axis === S.CHILD && (!next.predicates.length || next.predicates.every(positionFree))) {
        xpc.viaDescendant = !next.predicates.length;
        // with predicates that ignore position, descendant::x[p] selects what //x[p] selects
        cur = applySteps.call(this, [{ axis: S.DESCENDANT, nodeTest: next.nodeTest, predicates: next.predicates }], xpc, cur);
        i++;
        continue;
      }
      xpc.viaDescendant = isDos(steps[i - 1]);
      cur = applySteps.call(this, [steps[i]], xpc, cur);
    }
    return cur;
  };
  // processing-instruction() with no target: Step.pm calls ->value on its undefined literal
  NT.anyPiTest.matches = function (n: DomNode) {
    if (n.nodeType !== PI) return false;
    throw new PiTargetDie('Can\'t call method "value" on an undefined value at /usr/share/perl5/XML/XPath/Step.pm line 414.\n');
  };
}
