import { useState } from 'react';
import { Button, Field, Select, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens } from '@fluentui/react-components';
import type { FieldMapping } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState } from '../../../components/page-state';
import { mapDataset } from '../api/datasets';
import type { WizardState } from './wizard-state';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))', gap: tokens.spacingHorizontalM },
  report: { display: 'grid', gridTemplateColumns: 'max-content max-content', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: '0' },
  pair: { display: 'contents' },
  value: { margin: '0', fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums' },
});

type MappingKey = 'email' | 'accountId' | 'accountName' | 'domain';

/** Step 5: map the columns, then check them against the data (validation report + preview). */
export function StepMapping({ state, onChange }: { state: WizardState; onChange: (patch: Partial<WizardState>) => void }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const contactColumns = state.contacts?.columns ?? [];
  const detailColumns = state.accounts?.columns ?? contactColumns;
  const m = t.setup.mapping;

  const set = (key: MappingKey, value: string) => {
    const mapping: FieldMapping = { ...state.mapping };
    if (value) mapping[key] = value;
    else if (key === 'accountName' || key === 'domain') delete mapping[key];
    else mapping[key] = '';
    onChange({ mapping, mappingResult: null });
  };

  const check = async () => {
    if (!state.contacts) return;
    setBusy(true);
    setError(null);
    try {
      onChange({ mappingResult: await mapDataset(state.contacts.datasetId, state.mapping) });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const select = (key: MappingKey, label: string, columns: string[], optional: boolean, hint?: string) => (
    <Field label={label} required={!optional} hint={hint}>
      <Select value={state.mapping[key] ?? ''} onChange={(_, d) => set(key, d.value)}>
        <option value="">{m.notMapped}</option>
        {columns.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </Select>
    </Field>
  );

  const report = state.mappingResult?.report;
  const facts: [string, string][] = report
    ? [
        [m.contacts, fmt.number(report.contacts)],
        [m.accounts, fmt.number(report.accounts)],
        [m.rowsWithoutEmail, fmt.number(report.rowsWithoutEmail)],
        [m.invalidEmails, fmt.number(report.invalidEmails)],
        [m.multiAccountContacts, fmt.number(report.multiAccountContacts)],
        [m.ambiguousDomains, report.ambiguousDomains.length ? report.ambiguousDomains.join(', ') : t.common.none],
        [m.freemailOnlyAccounts, fmt.number(report.freemailOnlyAccounts)],
      ]
    : [];

  return (
    <>
      <div className={styles.grid}>
        {select('email', m.email, contactColumns, false)}
        {select('accountId', m.accountId, contactColumns, false)}
        {select('accountName', m.accountName, detailColumns, true, m.domainHint)}
        {select('domain', m.domain, detailColumns, true, m.domainHint)}
      </div>
      <div>
        <Button appearance="primary" disabled={busy || !state.mapping.email || !state.mapping.accountId} onClick={() => void check()}>
          {m.validate}
        </Button>
      </div>
      {error !== null && <ErrorState error={error} />}
      {report && state.mappingResult && (
        <section aria-label={m.reportTitle}>
          <Subtitle2 as="h3">{m.reportTitle}</Subtitle2>
          <dl className={styles.report}>
            {facts.map(([label, value]) => (
              <div key={label} className={styles.pair}>
                <dt>{label}</dt>
                <dd className={styles.value}>{value}</dd>
              </div>
            ))}
          </dl>
          <Subtitle2 as="h3">{m.previewTitle}</Subtitle2>
          <Table size="small" aria-label={m.previewTitle}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t.columns.AccountId}</TableHeaderCell>
                <TableHeaderCell>{t.columns.AccountName}</TableHeaderCell>
                <TableHeaderCell>{m.contacts}</TableHeaderCell>
                <TableHeaderCell>{m.domains}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {state.mappingResult.accountsPreview.map((a) => (
                <TableRow key={a.accountId}>
                  <TableCell>{a.accountId}</TableCell>
                  <TableCell>{a.name ?? '—'}</TableCell>
                  <TableCell>{fmt.number(a.contacts)}</TableCell>
                  <TableCell>{a.domains.join(', ')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </section>
      )}
    </>
  );
}
