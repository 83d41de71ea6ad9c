// The predecessor's call_python xpath functions on ours, in its nested shape: a document_id, and
// nodes copied eagerly (src/modules/xpath/helper.ts); find_in_node takes the node_id of a node
// found before (our node path).
import { BridgeError } from '../../errors';
import { nested, text, type LegacyTable } from '../../kit/legacy';

const str = (v: unknown, what: string) => {
  if (typeof v !== 'string' || v === '') throw new BridgeError('bad_params', `${what} is required`);
  return v;
};

export const XPATH_LEGACY: LegacyTable = {
  'xpath.load_xml_string': {
    to: (p) => ({ module: 'xpath', function: 'parse', params: { xml: text(p.xml_string ?? p.xml ?? '') } }),
    shape: (r) => nested({ document_id: r.doc }),
  },
  'xpath.load_file': {
    to: (p) => ({ module: 'xpath', function: 'parse', params: { file: str(p.filename ?? p.file, 'filename') } }),
    shape: (r) => nested({ document_id: r.doc }),
  },
  'xpath.find_nodes': {
    to: (p) => ({ module: 'xpath', function: 'helper_find', params: { doc: str(p.document_id, 'document_id'), path: str(p.xpath, 'xpath') } }),
    shape: (r) => nested({ nodes: r.nodes, count: (r.nodes as unknown[]).length }),
  },
  'xpath.find_in_node': {
    to: (p) => ({
      module: 'xpath', function: 'helper_find',
      params: { doc: str(p.document_id, 'document_id'), path: str(p.xpath, 'xpath'), ...(typeof p.node_id === 'string' ? { context: p.node_id } : {}) },
    }),
    shape: (r) => nested({ nodes: r.nodes, count: (r.nodes as unknown[]).length }),
  },
  'xpath.dispose_document': {
    to: (p) => ({ module: 'xpath', function: 'dispose', params: { doc: str(p.document_id, 'document_id') } }),
    shape: () => nested({ disposed: true }),
  },
};
