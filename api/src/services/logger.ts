/**
 * The one logger: pino behind the small `Logger` port that services, the HTTP layer, the stores
 * and (injected by the composition root) the bot write to. Every entry is redacted first
 * (log-redaction.ts): credentials never reach the output, addresses only masked.
 */
import pino, { type DestinationStream } from 'pino';
import { redactEntry } from './log-redaction';

/** The small logging port services and the HTTP layer write to. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface LoggerOptions {
  /** Entries below this level are dropped (config `LOG_LEVEL`). @default 'info' */
  level?: LogLevel;
  /**
   * Where the JSON lines go. @default debug and info on stdout, warn and error on stderr,
   * written synchronously so a line logged just before `process.exit` is not lost.
   */
  destination?: DestinationStream;
  /**
   * `json`: one JSON object per line, for log collectors. `text`: one line a person reads at a
   * terminal (`07:35:29 info  message · key=value`), what demo mode prints. @default 'json'
   */
  format?: 'json' | 'text';
}

const TEXT_LEVEL_WIDTH = 5;

/** A JSON log line as one readable line: time (UTC, seconds), level, message, then the fields. */
export function textLine(jsonLine: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine;
  }
  const { level, time, message, ...fields } = entry;
  const clock = typeof time === 'string' ? time.slice(11, 19) : '';
  const rest = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${clock} ${String(level).padEnd(TEXT_LEVEL_WIDTH)} ${String(message)}${rest ? ` · ${rest}` : ''}\n`;
}

/** Wraps a pino destination so that each JSON line is written as `textLine` gives it. */
function asText(stream: DestinationStream): DestinationStream {
  return { write: (line: string) => stream.write(textLine(line)) };
}

/** One JSON line per entry: `{"level":"info","time":"…","message":"…",…fields}`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const text = options.format === 'text' ? asText : (s: DestinationStream) => s;
  const destination =
    (options.destination && text(options.destination)) ??
    pino.multistream(
      [
        { level: 'debug', stream: text(pino.destination({ dest: 1, sync: true })) },
        { level: 'warn', stream: text(pino.destination({ dest: 2, sync: true })) },
      ],
      // Each line to the one stream with the highest level it reaches: warnings only on stderr.
      { dedupe: true },
    );
  const log = pino(
    {
      level,
      base: null,
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  const write = (at: Exclude<LogLevel, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    // Checked first: a debug entry below the level costs no redaction.
    if (!log.isLevelEnabled(at)) return;
    const entry = redactEntry(message, fields);
    log[at](entry.fields, entry.message);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** `logger` with `bindings` added to every entry (an entry's own fields win), e.g. `{ component: 'bot' }`. */
export function withFields(logger: Logger, bindings: Record<string, unknown>): Logger {
  const bind = (at: keyof Logger) => (message: string, fields?: Record<string, unknown>) => logger[at](message, { ...bindings, ...fields });
  return { debug: bind('debug'), info: bind('info'), warn: bind('warn'), error: bind('error') };
}

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
