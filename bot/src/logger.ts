import type { Logger } from './ports';

/** One JSON line per event, so log tooling can read the fields. */
export const consoleLogger: Logger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', component: 'bot', message, ...fields })),
  warn: (message, fields) => console.warn(JSON.stringify({ level: 'warn', component: 'bot', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', component: 'bot', message, ...fields })),
};
