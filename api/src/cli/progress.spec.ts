import { createProgressPrinter } from './progress';
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
});
