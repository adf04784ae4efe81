import { useId, useState } from 'react';
import { Badge, Button, Caption1, Text, makeStyles, tokens } from '@fluentui/react-components';
import { CopyRegular, ErrorCircleRegular } from '@fluentui/react-icons';
import type { MailboxFailure } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';
import { VisuallyHidden } from '../../../components/visually-hidden';
import { groupFailures, type FailureGroup } from '../run-failure-words';

/** Mailboxes listed before "Show all": an access policy can leave hundreds out. */
const SHOWN = 5;

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: '0' },
  group: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderLeft: `${tokens.strokeWidthThickest} solid ${tokens.colorPaletteRedBorder2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    minWidth: '0',
  },
  heading: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, margin: '0', fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  icon: { color: tokens.colorPaletteRedForeground1, flexShrink: 0 },
  paragraph: { margin: '0' },
  action: { margin: '0', fontWeight: tokens.fontWeightSemibold },
  list: { margin: '0', paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  item: { overflowWrap: 'anywhere' },
  mailbox: { fontWeight: tokens.fontWeightSemibold },
  meta: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  code: { fontFamily: tokens.fontFamilyMonospace },
  details: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  summary: { cursor: 'pointer', color: tokens.colorNeutralForeground2, ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` } },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

/**
 * The mailboxes a run could not read, grouped by why: each group says what happened and what the
 * admin should do once, then lists its mailboxes with the raw code and, behind a disclosure, what
 * Graph or the network said (codes and service text only: the run never stores mail content).
 */
export function MailboxFailures({ failures, headingLevel = 3 }: { failures: readonly MailboxFailure[]; headingLevel?: 3 | 4 }) {
  const styles = useStyles();
  const { t } = useI18n();
  const f = t.runFailures;
  if (failures.length === 0) return null;
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <section className={styles.root} aria-label={f.title}>
      <Heading className={styles.heading}>{f.title}</Heading>
      <Text as="p" className={styles.paragraph}>
        {f.intro(failures.length)}
      </Text>
      {groupFailures(failures).map((group) => (
        <FailureGroupView key={group.kind} group={group} headingLevel={headingLevel} />
      ))}
    </section>
  );
}

function FailureGroupView({ group, headingLevel }: { group: FailureGroup<MailboxFailure>; headingLevel: 3 | 4 }) {
  const styles = useStyles();
  const { t } = useI18n();
  const f = t.runFailures;
  const words = f.kinds[group.kind];
  const [all, setAll] = useState(false);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const listId = useId();
  const Heading = headingLevel === 3 ? 'h4' : 'h5';
  const shown = all ? group.failures : group.failures.slice(0, SHOWN);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(group.failures.map((x) => x.mailbox).join('\n'));
      setCopyState('copied');
    } catch {
      setCopyState('failed');
    }
  };

  return (
    <div className={styles.group}>
      <Heading className={styles.heading}>
        <ErrorCircleRegular className={styles.icon} aria-hidden />
        {f.groupTitle(words.title, group.failures.length)}
      </Heading>
      <Text as="p" className={styles.paragraph}>
        {words.what}
      </Text>
      <Text as="p" className={styles.paragraph}>
        <span className={styles.action}>{f.whatToDo}: </span>
        {words.action}
      </Text>
      <ul className={styles.list} id={listId} aria-label={f.mailboxes}>
        {shown.map((failure) => (
          <li key={`${failure.mailbox}|${failure.code}`} className={styles.item}>
            <div className={styles.meta}>
              <span className={styles.mailbox}>{failure.mailbox}</span>
              <Badge appearance="outline" color="danger" size="small">
                <VisuallyHidden>{`${f.code}: `}</VisuallyHidden>
                <span className={styles.code}>{failure.code}</span>
              </Badge>
            </div>
            {failure.message && (
              <details>
                <summary className={styles.summary}>
                  <Caption1>{f.details}</Caption1>
                </summary>
                <Caption1 className={styles.details}>{failure.message}</Caption1>
              </details>
            )}
          </li>
        ))}
      </ul>
      <div className={styles.buttons}>
        {group.failures.length > SHOWN && (
          <Button size="small" appearance="secondary" aria-expanded={all} aria-controls={listId} onClick={() => setAll((v) => !v)}>
            {all ? f.showFewer : f.showAll(group.failures.length)}
          </Button>
        )}
        <Button size="small" appearance="subtle" icon={<CopyRegular />} onClick={() => void copy()}>
          {f.copy}
        </Button>
      </div>
      <span aria-live="polite">
        {copyState === 'copied' ? <Caption1>{f.copied}</Caption1> : copyState === 'failed' ? <Caption1>{f.copyFailed}</Caption1> : null}
      </span>
    </div>
  );
}
