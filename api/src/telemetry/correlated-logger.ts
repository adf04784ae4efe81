/**
 * Logs correlated with traces: every entry logged inside a span carries `trace_id` and
 * `span_id`, so an operator goes from a slow run's trace in Application Insights to its log
 * lines (and back) by one id. Outside a span, and with telemetry off, entries are unchanged.
 */
import type { Logger } from '../services/logger';
import { telemetry } from './telemetry';

export function correlatedLogger(logger: Logger): Logger {
  const bind = (at: keyof Logger) => (message: string, fields?: Record<string, unknown>) => {
    const ids = telemetry().correlation();
    logger[at](message, ids ? { ...fields, ...ids } : fields);
  };
  return { debug: bind('debug'), info: bind('info'), warn: bind('warn'), error: bind('error') };
}
