import { useState } from 'react';
import { Field, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState } from '../../../components/page-state';
import { uploadDataset, type UploadedDataset } from '../api/datasets';
import { guessMappings, type WizardState } from './wizard-state';

const useStyles = makeStyles({
  preview: { overflowX: 'auto', ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` } },
  file: {
    padding: tokens.spacingVerticalS,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    color: tokens.colorNeutralForeground1,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

function PreviewTable({ upload }: { upload: UploadedDataset }) {
  const styles = useStyles();
  const { t } = useI18n();
  const caption = t.setup.dataset.previewCaption(upload.fileName);
  return (
    <div className={styles.preview} role="region" aria-label={caption} tabIndex={0}>
      <Table size="extra-small" aria-label={caption}>
        <TableHeader>
          <TableRow>
            {upload.columns.map((c) => (
              <TableHeaderCell key={c}>{c}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {upload.preview.map((row, i) => (
            <TableRow key={i}>
              {upload.columns.map((c) => (
                <TableCell key={c}>{row[c] ?? ''}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function FileUpload(props: { kind: 'contacts' | 'accounts'; label: string; hint: string; upload: UploadedDataset | null; onUploaded: (upload: UploadedDataset) => void }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const pick = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      props.onUploaded(await uploadDataset(props.kind, file));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.section}>
      <Field label={props.label} hint={props.hint}>
        {(fieldProps) => (
          <input {...fieldProps} className={styles.file} type="file" accept=".csv,text/csv" onChange={(e) => void pick(e.target.files?.[0])} />
        )}
      </Field>
      <div role="status" aria-live="polite">
        {busy && <Spinner size="tiny" label={t.setup.dataset.uploading} />}
        {props.upload && !busy && (
          <Text>
            {t.setup.dataset.uploaded(props.upload.fileName, fmt.number(props.upload.rows))}
            {props.upload.delimiter && ` · ${t.setup.dataset.delimiter[props.upload.delimiter]}`}
          </Text>
        )}
      </div>
      {error !== null && <ErrorState error={error} />}
      {props.upload && <PreviewTable upload={props.upload} />}
    </div>
  );
}

/** Step 4: the contacts file (required) and the accounts file (optional), with a preview. */
export function StepDataset({ state, onChange }: { state: WizardState; onChange: (patch: Partial<WizardState>) => void }) {
  const { t } = useI18n();
  return (
    <>
      <FileUpload
        kind="contacts"
        label={t.setup.dataset.contacts}
        hint={t.setup.dataset.contactsHint}
        upload={state.contacts}
        onUploaded={(contacts) => onChange({ contacts, ...guessMappings(contacts, state.accounts), mappingResult: null })}
      />
      <FileUpload
        kind="accounts"
        label={t.setup.dataset.accounts}
        hint={t.setup.dataset.accountsHint}
        upload={state.accounts}
        onUploaded={(accounts) =>
          onChange({ accounts, ...(state.contacts ? guessMappings(state.contacts, accounts) : {}), mappingResult: null })
        }
      />
    </>
  );
}
