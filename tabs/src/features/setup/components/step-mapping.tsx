import { useState } from 'react';
import { Button, Field, Select, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { AccountsMapping, FieldMapping } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState } from '../../../components/page-state';
import { FactList } from '../../../components/fact-list';
import { mapDataset, type UploadedDataset } from '../api/datasets';
import { mappingRequest, type WizardState } from './wizard-state';
import { ScrollRegion } from '../../../components/scroll-region';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))', gap: tokens.spacingHorizontalM },
});

function ColumnSelect(props: { label: string; hint?: string; columns: string[]; value: string | undefined; required: boolean; onChange: (value: string) => void }) {
  const { t } = useI18n();
  return (
    <Field label={props.label} hint={props.hint} required={props.required}>
      <Select value={props.value ?? ''} onChange={(_, d) => props.onChange(d.value)}>
        <option value="">{t.setup.mapping.notMapped}</option>
        {props.columns.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </Select>
    </Field>
  );
}

/**
 * Which delimiter the server split the file on: a semicolon file read as one column is the
 * usual reason a mapping offers a single odd column, so the step says how the file was read.
 */
function ColumnsOf({ upload }: { upload: UploadedDataset | null }) {
  const { t } = useI18n();
  if (!upload?.delimiter) return null;
  return (
    <Text block size={200}>
      {t.setup.mapping.columnsOf(upload.fileName, t.setup.dataset.delimiter[upload.delimiter])}
    </Text>
  );
}

/** Sets `key` to `value`, dropping optional keys that were cleared. */
function withColumn<T extends object>(mapping: T, key: keyof T & string, value: string, required: boolean): T {
  const next = { ...mapping } as Record<string, string | undefined>;
  if (value || required) next[key] = value;
  else delete next[key];
  return next as T;
}

/** Step 5: map the columns, then check them against the data (validation report + preview). */
export function StepMapping({ state, onChange }: { state: WizardState; onChange: (patch: Partial<WizardState>) => void }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const contactColumns = state.contacts?.columns ?? [];
  const accountColumns = state.accounts?.columns ?? [];
  const m = t.setup.mapping;

  const setContacts = (key: keyof FieldMapping & ('email' | 'accountId' | 'accountName' | 'domain' | 'owner'), value: string) =>
    onChange({ mapping: withColumn(state.mapping, key, value, key === 'email' || key === 'accountId'), mappingResult: null });
  const setAccounts = (key: keyof AccountsMapping, value: string) =>
    onChange({ accountsMapping: withColumn(state.accountsMapping, key, value, key === 'accountId'), mappingResult: null });

  const check = async () => {
    if (!state.contacts) return;
    setBusy(true);
    setError(null);
    try {
      onChange({ mappingResult: await mapDataset(state.contacts.datasetId, mappingRequest(state)) });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const report = state.mappingResult?.report;
  const facts: [string, string][] = report
    ? [
        [m.contacts, fmt.number(report.contacts)],
        [m.accounts, fmt.number(report.accounts)],
        [m.rowsWithoutEmail, fmt.number(report.rowsWithoutEmail)],
        ...(report.rowsWithoutAccount !== undefined ? ([[m.rowsWithoutAccount, fmt.number(report.rowsWithoutAccount)]] as [string, string][]) : []),
        [m.invalidEmails, fmt.number(report.invalidEmails) + (report.invalidEmailSamples?.length ? ` (${report.invalidEmailSamples.join(', ')})` : '')],
        [
          m.multiAccountContacts,
          fmt.number(report.multiAccountContacts) +
            (report.multiAccountContactSamples?.length ? ` (${report.multiAccountContactSamples.map((s) => `${s.email} → ${s.chosen}`).join(', ')})` : ''),
        ],
        [m.ambiguousDomains, report.ambiguousDomains.length ? report.ambiguousDomains.join(', ') : t.common.none],
        [m.freemailOnlyAccounts, fmt.number(report.freemailOnlyAccounts) + (report.freemailOnlyAccountIds?.length ? ` (${report.freemailOnlyAccountIds.join(', ')})` : '')],
      ]
    : [];
  const ready = !!state.mapping.email && !!state.mapping.accountId && (!state.accounts || !!state.accountsMapping.accountId);

  return (
    <>
      <ColumnsOf upload={state.contacts} />
      <div className={styles.grid}>
        <ColumnSelect label={m.email} columns={contactColumns} value={state.mapping.email} required onChange={(v) => setContacts('email', v)} />
        <ColumnSelect label={m.accountId} columns={contactColumns} value={state.mapping.accountId} required onChange={(v) => setContacts('accountId', v)} />
        <ColumnSelect label={m.accountName} columns={contactColumns} value={state.mapping.accountName} required={false} onChange={(v) => setContacts('accountName', v)} />
        {!state.accounts && <ColumnSelect label={m.domain} columns={contactColumns} value={state.mapping.domain} required={false} onChange={(v) => setContacts('domain', v)} />}
        <ColumnSelect label={t.ownerColumn.contacts} hint={t.ownerColumn.hint} columns={contactColumns} value={state.mapping.owner} required={false} onChange={(v) => setContacts('owner', v)} />
      </div>
      {state.accounts && (
        <section aria-label={m.accountsFileTitle}>
          <Subtitle2 as="h3" block>{m.accountsFileTitle}</Subtitle2>
          <ColumnsOf upload={state.accounts} />
          <div className={styles.grid}>
            <ColumnSelect label={m.accountsId} columns={accountColumns} value={state.accountsMapping.accountId} required onChange={(v) => setAccounts('accountId', v)} />
            <ColumnSelect label={m.accountsName} columns={accountColumns} value={state.accountsMapping.name} required={false} onChange={(v) => setAccounts('name', v)} />
            <ColumnSelect label={m.accountsDomain} columns={accountColumns} value={state.accountsMapping.domain} required={false} onChange={(v) => setAccounts('domain', v)} />
            <ColumnSelect
              label={t.ownerColumn.accounts}
              hint={t.ownerColumn.accountsHint}
              columns={accountColumns}
              value={state.accountsMapping.owner}
              required={false}
              onChange={(v) => setAccounts('owner', v)}
            />
          </div>
        </section>
      )}
      <div>
        <Button appearance="primary" disabled={busy || !ready} onClick={() => void check()}>
          {m.validate}
        </Button>
      </div>
      {error !== null && <ErrorState error={error} />}
      {report && state.mappingResult && (
        <section aria-label={m.reportTitle}>
          <Subtitle2 as="h3" block>{m.reportTitle}</Subtitle2>
          <FactList items={facts.map(([label, value]) => ({ label, value }))} />
          <Subtitle2 as="h3" block>{m.previewTitle}</Subtitle2>
          <ScrollRegion label={m.previewTitle}>
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
          </ScrollRegion>
        </section>
      )}
    </>
  );
}
