// The predecessor's call_python logging_helper functions on ours: each logs one message to the
// daemon's own log (as its Python daemon did), in its nested result shape.
import type { LegacyTable } from '../../kit/legacy';
import { nested, text } from '../../kit/legacy';

const entry = (level: string | null) => ({
  to: (p: Record<string, unknown>) => ({
    module: 'logging',
    function: 'helper_log',
    params: { level: level ?? text(p.level ?? 'info').toLowerCase(), message: text(p.message ?? ''), ...(p.logger !== undefined ? { logger: text(p.logger) } : {}) },
  }),
  shape: (r: Record<string, unknown>) => nested(r),
});

export const LOGGING_LEGACY: LegacyTable = {
  'logging_helper.log_message': entry(null),
  'logging_helper.log_error': entry('error'),
  'logging_helper.log_warning': entry('warning'),
  'logging_helper.log_debug': entry('debug'),
};
