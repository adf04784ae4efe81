import { parseStored } from '../store/lowdb-document';
import type { RunSummary } from './run-types';
import { appStateSchema } from './state-schema';
import { emptyAppState, type AppState } from './state';

const FILE = '/data/state.json';

function run(extra: Partial<RunSummary> = {}): RunSummary {
  const at = '2026-03-01T10:00:00.000Z';
  return {
    id: 'run_1',
    trigger: 'manual',
    status: 'succeeded',
    startedAt: at,
    finishedAt: at,
    configVersion: 1,
    accountsEnriched: 3,
    emailsProcessed: 10,
    meetingsProcessed: 2,
    daysCovered: 365,
    graphRequests: 40,
    failures: [],
    progress: {
      runId: 'run_1',
      phase: 'done',
      percent: 100,
      mailboxesDone: 2,
      mailboxesTotal: 2,
      messagesProcessed: 10,
      meetingsProcessed: 2,
      graphRequests: 40,
      throttleWaits: 0,
      errors: [],
      startedAt: at,
      updatedAt: at,
    },
    startedBy: 'Ada',
    error: null,
    warnings: [],
    ...extra,
  };
}

function state(change: (s: Record<string, unknown>) => void = () => undefined): unknown {
  const s = { ...emptyAppState(), runs: [run()] } as unknown as Record<string, unknown>;
  change(s);
  return s;
}

describe('appStateSchema', () => {
  it.each<[string, (s: Record<string, unknown>) => void, RegExp]>([
    ['runs is not a list', (s) => void (s.runs = {}), /\(runs: .*expected array/],
    ['the format is another one', (s) => void (s.format = 'rapport.state/9'), /\(format: /],
    ['consent is missing', (s) => void delete s.consent, /\(consent: /],
    ['a consent status is unknown', (s) => void ((s.consent as Record<string, unknown>).status = 'maybe'), /\(consent\.status: /],
    ['a run has no id', (s) => void delete (s.runs as Record<string, unknown>[])[0]!.id, /\(runs\.0\.id: /],
    ['a run status is unknown', (s) => void ((s.runs as Record<string, unknown>[])[0]!.status = 'paused'), /\(runs\.0\.status: /],
    ['a run progress is not an object', (s) => void ((s.runs as Record<string, unknown>[])[0]!.progress = 'done'), /\(runs\.0\.progress: /],
    ['a segment rule is not a group', (s) => void (s.segments = [{ id: 's', name: 'x', rule: { kind: 'nope' }, createdAt: 'a', createdBy: 'b', updatedAt: 'c' }]), /\(segments\.0\.rule/],
    ['the scheduler anchor has a bad time zone', (s) => void (s.scheduler = { firstRunAt: null, lastSlotAt: null, anchor: { dayOfWeek: 1, hour: 6, minute: 0, timeZone: 'Mars/Olympus' } }), /\(scheduler\.anchor\.timeZone: /],
    ['the document is a list', (s) => void Object.assign(s, { format: undefined }), /\(format: /],
  ])('when %s, then STORE_CORRUPT names the file and the field', (_label, damage, field) => {
    expect(() => parseStored(FILE, appStateSchema, state(damage))).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT', details: expect.objectContaining({ file: FILE }) }));
    expect(() => parseStored(FILE, appStateSchema, state(damage))).toThrow(field);
  });

  it('when the value is not an object at all, then the root is named', () => {
    expect(() => parseStored(FILE, appStateSchema, [1, 2])).toThrow(/\(\(root\): /);
  });

  it('when a run was written before runs had warnings, then it reads with no warnings', () => {
    const { warnings: _omitted, ...old } = run();
    const parsed = parseStored(FILE, appStateSchema, state((s) => void (s.runs = [old])));
    expect(parsed.runs[0]!.warnings).toEqual([]);
  });

  it('when the file holds fields this version does not know, then they are kept, not stripped', () => {
    const parsed = parseStored(
      FILE,
      appStateSchema,
      state((s) => {
        Object.assign(s.consent as object, { grantedThrough: { 'Mail.ReadBasic.All': 'exchangeRbac' } });
        s.futureField = { kept: true };
      }),
    ) as AppState & { futureField?: unknown; consent: { grantedThrough?: unknown } };
    expect(parsed.consent.grantedThrough).toEqual({ 'Mail.ReadBasic.All': 'exchangeRbac' });
    expect(parsed.futureField).toEqual({ kept: true });
  });

  it('when the state is empty or holds a complete run, then it reads back unchanged', () => {
    expect(parseStored(FILE, appStateSchema, emptyAppState())).toEqual(emptyAppState());
    expect(parseStored(FILE, appStateSchema, state())).toEqual(state());
  });
});
