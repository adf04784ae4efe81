import { createProgressPrinter, formatEta } from './progress';
import type { RunProgress } from '../enrichment/run-enrichment';

const p = (percent: number, phase: RunProgress['phase'] = 'collecting'): RunProgress => ({
  phase, percent, mailboxesDone: 1, mailboxesTotal: 4, messagesProcessed: 10, meetingsProcessed: 2, graphRequests: 3, throttleWaits: 0, errors: [],
});

describe('progress printer', () => {
  it('when the output is not a terminal, then one plain line is printed per phase and per 10%', () => {
    const lines: string[] = [];
    const printer = createProgressPrinter({ isTTY: false, write: (t) => lines.push(t) });
    [p(0, 'resolving'), p(5), p(6), p(15), p(17), p(90, 'aggregating')].forEach(printer.update);
    expect(lines).toEqual([
      'progress 0% resolving: 1/4 mailboxes, 10 messages, 2 events, 3 requests\n',
      'progress 5% collecting: 1/4 mailboxes, 10 messages, 2 events, 3 requests\n',
      'progress 15% collecting: 1/4 mailboxes, 10 messages, 2 events, 3 requests\n',
      'progress 90% aggregating: 1/4 mailboxes, 10 messages, 2 events, 3 requests\n',
    ]);
  });

  it('when the output is a terminal, then a bar is redrawn in place and ends with a newline', () => {
    const out: string[] = [];
    const printer = createProgressPrinter({ isTTY: true, columns: 200, write: (t) => out.push(t) });
    printer.update(p(50));
    printer.done();
    expect(out[0]).toMatch(/^\r\[#{14}-{14}\] {2}50% collecting/);
    expect(out[out.length - 1]).toBe('\n');
  });

  it('when collection has an estimate of the time left, then the line says it, and not in other phases', () => {
    const lines: string[] = [];
    const printer = createProgressPrinter({ isTTY: false, write: (t) => lines.push(t) });
    printer.update({ ...p(40), etaSeconds: 420 });
    printer.update({ ...p(50), etaSeconds: null });
    printer.update({ ...p(90, 'aggregating'), etaSeconds: 10 });
    expect(lines).toEqual([
      'progress 40% collecting: 1/4 mailboxes, 10 messages, 2 events, 3 requests, ~7 min left\n',
      'progress 50% collecting: 1/4 mailboxes, 10 messages, 2 events, 3 requests\n',
      'progress 90% aggregating: 1/4 mailboxes, 10 messages, 2 events, 3 requests\n',
    ]);
  });

  it.each([
    [0, '0 s'],
    [42.4, '42 s'],
    [59, '59 s'],
    [60, '1 min'],
    [3599, '60 min'],
    [3600, '1 h 00 min'],
    [3900, '1 h 05 min'],
    [-3, '0 s'],
  ])('when %s seconds are left, then formatEta says %s', (seconds, text) => {
    expect(formatEta(seconds)).toBe(text);
  });
});
