import type { RunProgress } from '../enrichment/run-enrichment';

interface Output {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** A progress bar on a terminal; plain lines (each phase, each 10%) otherwise. */
export function createProgressPrinter(stream: Output) {
  let lastLine = '';
  let last: RunProgress | null = null;
  let lastPlainStep = -1;
  let lastPhase = '';
  let lastDraw = 0;
  const update = (p: RunProgress): void => {
    last = p;
    const eta = p.phase === 'collecting' && p.etaSeconds != null ? `, ~${formatEta(p.etaSeconds)} left` : '';
    const counts = `${p.mailboxesDone}/${p.mailboxesTotal} mailboxes, ${p.messagesProcessed} messages, ${p.meetingsProcessed} events, ${p.graphRequests} requests${eta}`;
    if (stream.isTTY) {
      const now = Date.now();
      if (now - lastDraw < 80 && p.phase === lastPhase && p.percent < 100) return;
      lastDraw = now;
      lastPhase = p.phase;
      const width = 28;
      const filled = Math.round((width * p.percent) / 100);
      const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(p.percent).padStart(3)}% ${p.phase.padEnd(11)} ${counts}`;
      const cols = (stream.columns ?? 120) - 1;
      stream.write(`\r${line.slice(0, cols).padEnd(Math.min(cols, lastLine.length))}`);
      lastLine = line;
      return;
    }
    const step = Math.floor(p.percent / 10);
    if (p.phase === lastPhase && step === lastPlainStep) return;
    lastPhase = p.phase;
    lastPlainStep = step;
    stream.write(`progress ${p.percent}% ${p.phase}: ${counts}\n`);
  };
  /** Ends the bar at 100% on its own line; safe to call more than once. */
  const done = (): void => {
    if (!stream.isTTY || !lastLine) return;
    if (last && last.percent < 100) {
      lastDraw = 0;
      update({ ...last, phase: 'done', percent: 100 });
    }
    stream.write('\n');
    lastLine = '';
  };
  return { update, done };
}

/** 42 s, 7 min, 1 h 05 min: coarse on purpose, an estimate is no more precise than that. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  const h = Math.floor(s / 3600);
  return `${h} h ${String(Math.round((s % 3600) / 60)).padStart(2, '0')} min`;
}
