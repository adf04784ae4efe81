import { useEffect, useMemo } from 'react';
import { Badge, Field, MessageBar, MessageBarBody, Spinner, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import type { OrgEntryResolution, OrgResolveResult } from '../../../lib/api-types';
import { ApiError } from '../../../lib/api-client';
import { useDebounced } from '../../../lib/use-debounced';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState } from '../../../components/page-state';
import { parseOrgEntries, useOrgResolution } from '../api/org';
import { orgProblem, type WizardState } from './wizard-state';

const COLOR = { user: 'brand', group: 'informative', unknown: 'danger', unusable: 'warning' } as const;

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: '0', padding: '0', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  item: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground3 },
  total: { fontWeight: tokens.fontWeightSemibold },
});

function EntryLine({ entry }: { entry: OrgEntryResolution }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <li className={styles.item}>
      <Badge appearance="tint" color={COLOR[entry.kind]}>
        {t.setup.org.kinds[entry.kind]}
      </Badge>
      <Text>{entry.entry}</Text>
      {entry.displayName && entry.displayName !== entry.entry && <Text className={styles.muted}>{entry.displayName}</Text>}
      {entry.kind === 'group' && typeof entry.memberCount === 'number' && <Text className={styles.muted}>{t.setup.org.members(entry.memberCount)}</Text>}
      {entry.reason && <Text className={styles.muted}>{t.setup.org.reasons[entry.reason] ?? entry.reason}</Text>}
    </li>
  );
}

/** Step 2: addresses and groups, resolved live, with the 2–2,500 mailbox rule. */
export function StepOrg({ state, onChange }: { state: WizardState; onChange: (patch: Partial<WizardState>) => void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const typed = useMemo(() => parseOrgEntries(state.orgText), [state.orgText]);
  const entries = useDebounced(typed, 500);
  const resolution = useOrgResolution(entries);
  const settled = entries === typed && !resolution.loading;
  // Before tenant-admin consent the directory cannot be read: the API answers 412.
  const deferred = settled && typed.length > 0 && resolution.error instanceof ApiError && resolution.error.code === 'CONSENT_REQUIRED';

  useEffect(() => {
    const org: OrgResolveResult | null = typed.length === 0 ? null : settled && resolution.data && !resolution.error ? resolution.data : null;
    if (org !== state.org || deferred !== state.orgDeferred) onChange({ org, orgDeferred: deferred });
  }, [typed.length, settled, resolution.data, resolution.error, deferred, state.org, state.orgDeferred, onChange]);

  const problem = orgProblem(state);
  const problemText =
    problem === 'tooFew' ? t.setup.org.tooFew : problem === 'tooMany' ? t.setup.org.tooMany : problem === 'unresolved' ? t.setup.org.unresolved : null;

  return (
    <>
      <Field label={t.setup.org.label} hint={t.setup.org.hint}>
        <Textarea resize="vertical" rows={5} value={state.orgText} onChange={(_, d) => onChange({ orgText: d.value })} />
      </Field>
      <div aria-live="polite" role="status">
        {typed.length > 0 && !settled && <Spinner size="tiny" label={t.setup.org.resolving} />}
        {state.org && <Text className={styles.total}>{t.setup.org.total(state.org.mailboxCount)}</Text>}
      </div>
      <Text className={styles.muted}>{t.setup.org.rule}</Text>
      {deferred ? (
        <MessageBar intent="info">
          <MessageBarBody>{t.setup.org.deferred}</MessageBarBody>
        </MessageBar>
      ) : (
        resolution.error !== undefined && settled && <ErrorState error={resolution.error} onRetry={resolution.reload} />
      )}
      {state.org && (
        <ul className={styles.list} aria-label={t.setup.org.resolutionsLabel}>
          {state.org.entries.map((entry) => (
            <EntryLine key={entry.entry} entry={entry} />
          ))}
        </ul>
      )}
      {state.org?.warnings && state.org.warnings.length > 0 && (
        <MessageBar intent="info">
          <MessageBarBody>
            {t.setup.org.warningsTitle}:{' '}
            {state.org.warnings.map((w) => `${w.entry} (${w.message})`).join(', ')}
          </MessageBarBody>
        </MessageBar>
      )}
      {state.org && problemText && (
        <MessageBar intent="warning">
          <MessageBarBody>
            {problemText}
            {state.org.problems.length > 0 && (
              <ul>
                {state.org.problems.map((p) => (
                  <li key={p.entry + p.message}>{p.entry ? `${p.entry}: ${p.message}` : p.message}</li>
                ))}
              </ul>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
