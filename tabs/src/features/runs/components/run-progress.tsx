import { Field, ProgressBar, makeStyles, tokens } from '@fluentui/react-components';
import type { RunProgress as Progress } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';
import { VisuallyHidden } from '../../../components/visually-hidden';
import { MailboxFailures } from './mailbox-failures';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  counts: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))', gap: tokens.spacingHorizontalM, margin: '0' },
  pair: { display: 'flex', flexDirection: 'column' },
  term: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  value: { margin: '0', fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums' },
});

const BAR_COLOR: Record<Progress['phase'], 'brand' | 'success' | 'warning' | 'error'> = {
  queued: 'brand',
  resolving: 'brand',
  collecting: 'brand',
  aggregating: 'brand',
  saving: 'brand',
  done: 'success',
  failed: 'error',
  cancelled: 'warning',
};

/** The progress details pane: phase, bar, counts and the mailboxes that failed (in words), with a live region. */
export function RunProgress({ progress }: { progress: Progress }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const p = t.runs.progress;
  const phase = p.phases[progress.phase];
  const ratio = Math.min(1, Math.max(0, progress.percent / 100));
  // Announce phase changes and every tenth of the way, not every tick.
  const announced = t.runs.progress.announce(phase, fmt.percent(Math.floor(ratio * 10) / 10));
  const counts: [string, string][] = [
    [p.mailboxes, p.mailboxesValue(fmt.number(progress.mailboxesDone), fmt.number(progress.mailboxesTotal))],
    [p.messages, fmt.number(progress.messagesProcessed)],
    [p.meetings, fmt.number(progress.meetingsProcessed)],
    [p.graphRequests, fmt.number(progress.graphRequests)],
    [p.throttleWaits, fmt.number(progress.throttleWaits)],
  ];
  if (progress.phase === 'collecting') {
    const e = t.runEta;
    const eta = progress.etaSeconds;
    const left =
      eta == null
        ? e.estimating
        : eta < 60
          ? e.underAMinute
          : eta < 3600
            ? e.minutes(fmt.number(Math.round(eta / 60)))
            : e.hours(fmt.number(Math.floor(eta / 3600)), fmt.number(Math.round((eta % 3600) / 60)));
    counts.push([e.timeLeft, left]);
    if (progress.pagesRead != null && progress.pagesExpected != null) counts.push([e.pages, e.pagesValue(fmt.number(progress.pagesRead), fmt.number(progress.pagesExpected))]);
  }
  return (
    <div className={styles.root}>
      <Field label={`${p.phase}: ${phase}`} validationState="none" hint={fmt.percent(ratio)}>
        <ProgressBar value={ratio} max={1} thickness="large" color={BAR_COLOR[progress.phase]} />
      </Field>
      <VisuallyHidden>
        <span role="status" aria-live="polite">
          {announced}
        </span>
      </VisuallyHidden>
      <dl className={styles.counts}>
        {counts.map(([label, value]) => (
          <div key={label} className={styles.pair}>
            <dt className={styles.term}>{label}</dt>
            <dd className={styles.value}>{value}</dd>
          </div>
        ))}
      </dl>
      <MailboxFailures failures={progress.errors} headingLevel={4} />
    </div>
  );
}
