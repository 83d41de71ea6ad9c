// The predecessor's built-ins (call_python 'test', 'ping' and 'system', ...) on ours.
import type { LegacyTable } from '../../kit/legacy';

export const SYSTEM_LEGACY: LegacyTable = {
  'test.ping': {
    to: () => ({ module: 'system', function: 'ping', params: {} }),
    shape: (r) => ({ message: 'pong', ...r }), // built-in: no success key, as the predecessor's
  },
  'system.info': {
    to: () => ({ module: 'system', function: 'status', params: {} }),
    shape: (r) => r,
  },
  'system.health': {
    to: () => ({ module: 'system', function: 'status', params: {} }),
    shape: (r) => ({ overall_status: 'healthy', ...r }),
  },
};
