import { useEffect, useId, useRef, useState } from 'react';
import { Button, Field, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import { useI18n, type I18n } from '../../../i18n/i18n';
import { ErrorState } from '../../../components/page-state';
import { rejectedRowsPath, templatePath, uploadDataset, uploadProblemOf, type UploadedDataset } from '../api/datasets';
import { useExport } from '../../../lib/use-export';
import { useHost } from '../../../lib/host-context';
import type { UploadProblem } from '../../../../../api/src/contract';
import { guessMappings, type WizardState } from './wizard-state';
import { ScrollRegion } from '../../../components/scroll-region';

type Kind = 'contacts' | 'accounts';
type Refusal = { file: File; error: unknown };

const wrapButton = { maxWidth: '100%', height: 'auto', minHeight: '32px', whiteSpace: 'normal', textAlign: 'start' } as const;

const useStyles = makeStyles({
  file: {
    maxWidth: '100%',
    padding: tokens.spacingVerticalS,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    color: tokens.colorNeutralForeground1,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: '0' },
  text: { overflowWrap: 'anywhere' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  button: wrapButton,
  refused: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorStatusDangerBorder1}`,
    backgroundColor: tokens.colorStatusDangerBackground1,
    color: tokens.colorNeutralForeground1,
    overflowWrap: 'anywhere',
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  title: { ...typographyStyles.body1Strong, margin: '0' },
  list: { margin: '0', paddingInlineStart: tokens.spacingHorizontalXL },
});

function PreviewTable({ upload }: { upload: UploadedDataset }) {
  const { t } = useI18n();
  const caption = t.setup.dataset.previewCaption(upload.fileName);
  return (
    <ScrollRegion label={caption}>
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
    </ScrollRegion>
  );
}

type RowDetails = Pick<UploadProblem, 'row' | 'rowProblem' | 'column' | 'columnNumber' | 'found'>;

/** One rejected row in the admin's language: which row, what is wrong, what to do. */
function describeRow(r: RowDetails, p: UploadProblem, { t, fmt }: Pick<I18n, 't' | 'fmt'>): string {
  const words = t.datasetUpload.rowProblem;
  const row = fmt.number(r.row ?? 0);
  const column = typeof r.column === 'string' ? r.column : fmt.number(r.columnNumber ?? 0);
  switch (r.rowProblem) {
    case 'tooManyValues':
      return words.tooManyValues(row, fmt.number(r.found ?? 0), fmt.number(p.expected ?? 0), t.datasetUpload.delimiterWord[p.delimiter ?? 'comma']);
    case 'tooFewValues':
      return words.tooFewValues(row, fmt.number(r.found ?? 0), fmt.number(p.expected ?? 0));
    case 'strayQuote':
      return words.strayQuote(row, column);
    case 'textAfterQuote':
      return words.textAfterQuote(row, column);
    case 'unclosedQuote':
    default:
      return words.unclosedQuote(row, column);
  }
}

/** What the refusal says, and the other rows to fix (a few; the rest are in the rejected rows' CSV). */
export function describeUploadProblem(p: UploadProblem, i18n: Pick<I18n, 't' | 'fmt'>): { text: string; more: string[]; hidden: number } {
  const { t, fmt } = i18n;
  const words = t.datasetUpload.fileProblem;
  const others = (p.rejected ?? []).slice(1, 6);
  const more = others.map((r) => describeRow({ ...r, rowProblem: r.problem }, p, i18n));
  const hidden = Math.max(0, (p.rejectedRows ?? 0) - 1 - others.length);
  switch (p.problem) {
    case 'rowsRejected':
      return { text: `${describeRow(p, p, i18n)} ${t.datasetUpload.cannotBeRead(p.rejectedRows ?? 0, (p.rejectedRows ?? 0) + (p.validRows ?? 0))}`, more, hidden };
    case 'noValidRows':
      return { text: `${words.noValidRows} ${describeRow(p, p, i18n)}`, more, hidden: 0 };
    case 'encoding':
      return { text: words.encoding(fmt.number(p.line ?? 1)), more: [], hidden: 0 };
    case 'noEmailColumn':
      return { text: words.noEmailColumn((p.columns ?? []).join(', ')), more: [], hidden: 0 };
    case 'duplicateColumn':
      return { text: words.duplicateColumn(String(p.column ?? '')), more: [], hidden: 0 };
    case 'emptyColumnName':
    case 'headerQuote':
      return { text: words[p.problem](String(p.column ?? '')), more: [], hidden: 0 };
    case 'tooManyRows':
      return { text: words.tooManyRows(fmt.number(p.maxRows ?? 0)), more: [], hidden: 0 };
    case 'empty':
    case 'headerOnly':
      return { text: words[p.problem], more: [], hidden: 0 };
  }
}

interface FileUploadProps {
  kind: Kind;
  label: string;
  hint: string;
  upload: UploadedDataset | null;
  refused: Refusal | null;
  onUploaded: (upload: UploadedDataset) => void;
  onRefused: (refusal: Refusal | null) => void;
}

function FileUpload(props: FileUploadProps) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState<'upload' | 'import' | null>(null);
  const [kept, setKept] = useState<string | null>(null);
  // The files download like every export: through a signed link, which inside Teams opens in
  // the user's browser (a blob saved inside the Teams client never reaches the disk).
  const { inTeams } = useHost();
  const exporter = useExport(inTeams);
  const refusedRef = useRef<HTMLElement>(null);
  const titleId = useId();
  const { refused, upload } = props;

  // A refusal takes the focus, so keyboard and screen-reader users land on what to fix.
  useEffect(() => {
    if (refused) refusedRef.current?.focus();
  }, [refused]);

  const send = async (file: File, skipInvalid: boolean) => {
    setBusy(skipInvalid ? 'import' : 'upload');
    setKept(null);
    try {
      props.onUploaded(await uploadDataset(props.kind, file, { skipInvalid }));
    } catch (error) {
      props.onRefused({ file, error });
    } finally {
      setBusy(null);
    }
  };

  const problem = refused ? uploadProblemOf(refused.error) : null;
  const described = problem ? describeUploadProblem(problem, i18n) : null;
  const canImport = problem?.problem === 'rowsRejected' && (problem.validRows ?? 0) > 0;

  return (
    <div className={styles.section}>
      <Field label={props.label} hint={props.hint}>
        {(fieldProps) => (
          <input
            {...fieldProps}
            className={styles.file}
            type="file"
            accept=".csv,text/csv"
            disabled={busy !== null}
            onChange={(e) => {
              const file = e.target.files?.[0];
              // The same file can be chosen again after it is fixed.
              e.target.value = '';
              if (file) void send(file, false);
            }}
          />
        )}
      </Field>
      <div className={styles.actions}>
        <Button className={styles.button} appearance="subtle" onClick={() => void exporter.start(templatePath(props.kind))}>
          {t.datasetUpload.downloadTemplate}
        </Button>
      </div>
      <div role="status" aria-live="polite" className={styles.text}>
        {busy && <Spinner size="tiny" label={busy === 'import' ? t.datasetUpload.importing : t.setup.dataset.uploading} />}
        {upload && !busy && !refused && (
          <Text>
            {t.setup.dataset.uploaded(upload.fileName, upload.rows)}
            {upload.delimiter && ` · ${t.setup.dataset.delimiter[upload.delimiter]}`}
            {(upload.rejectedRows ?? 0) > 0 && ` · ${t.datasetUpload.partial(upload.rows, upload.rejectedRows ?? 0)}`}
            {kept && ` ${t.datasetUpload.kept(kept)}`}
          </Text>
        )}
      </div>
      {upload && !refused && (upload.rejectedRows ?? 0) > 0 && (
        <div className={styles.actions}>
          <Button className={styles.button} onClick={() => void exporter.start(rejectedRowsPath(upload.datasetId))}>
            {t.datasetUpload.downloadRejected}
          </Button>
        </div>
      )}
      {exporter.error !== null && <ErrorState error={exporter.error} />}
      {refused && (
        <section ref={refusedRef} tabIndex={-1} aria-labelledby={titleId} className={styles.refused}>
          <div role="alert">
            <p id={titleId} className={styles.title}>
              {t.datasetUpload.notImported(refused.file.name)}
            </p>
            {described && <Text as="p">{described.text}</Text>}
          </div>
          {!described && <ErrorState error={refused.error} />}
          {described && described.more.length > 0 && (
            <>
              <Text as="p">{t.datasetUpload.moreRows}</Text>
              <ul className={styles.list}>
                {described.more.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
              {described.hidden > 0 && <Text as="p">{t.datasetUpload.andMore(described.hidden)}</Text>}
            </>
          )}
          <div className={styles.actions}>
            {canImport && (
              <Button className={styles.button} appearance="primary" disabled={busy !== null} onClick={() => void send(refused.file, true)}>
                {t.datasetUpload.importValid(problem?.validRows ?? 0)}
              </Button>
            )}
            {upload && (
              <Button
                className={styles.button}
                onClick={() => {
                  setKept(upload.fileName);
                  props.onRefused(null);
                }}
              >
                {t.datasetUpload.keepPrevious(upload.fileName)}
              </Button>
            )}
          </div>
          <Text as="p">{upload ? t.datasetUpload.stillSelected(upload.fileName, t.datasetUpload.rows(upload.rows)) : t.datasetUpload.nothingSelected}</Text>
        </section>
      )}
      {upload && <PreviewTable upload={upload} />}
    </div>
  );
}

/** Step 4: the contacts file (required) and the accounts file (optional), with a preview. */
export function StepDataset({ state, onChange }: { state: WizardState; onChange: (patch: Partial<WizardState>) => void }) {
  const { t } = useI18n();
  const refusals = state.refusedUploads ?? {};
  const refuse = (kind: Kind, refusal: Refusal | null) => {
    const { [kind]: _previous, ...others } = refusals;
    return { refusedUploads: refusal ? { ...others, [kind]: refusal } : others };
  };
  return (
    <>
      <FileUpload
        kind="contacts"
        label={t.setup.dataset.contacts}
        hint={t.setup.dataset.contactsHint}
        upload={state.contacts}
        refused={refusals.contacts ?? null}
        onRefused={(refusal) => onChange(refuse('contacts', refusal))}
        onUploaded={(contacts) => onChange({ contacts, ...guessMappings(contacts, state.accounts), mappingResult: null, ...refuse('contacts', null) })}
      />
      <FileUpload
        kind="accounts"
        label={t.setup.dataset.accounts}
        hint={t.setup.dataset.accountsHint}
        upload={state.accounts}
        refused={refusals.accounts ?? null}
        onRefused={(refusal) => onChange(refuse('accounts', refusal))}
        onUploaded={(accounts) =>
          onChange({ accounts, ...(state.contacts ? guessMappings(state.contacts, accounts) : {}), mappingResult: null, ...refuse('accounts', null) })
        }
      />
    </>
  );
}
