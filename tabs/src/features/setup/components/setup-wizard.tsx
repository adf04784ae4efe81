import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Card, MessageBar, MessageBarBody, Text, makeStyles, mergeClasses, tokens, typographyStyles } from '@fluentui/react-components';
import type { ConfigState } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState } from '../../../components/page-state';
import { saveConfig } from '../api/config';
import { getDataset } from '../api/datasets';
import { parseOrgEntries } from '../api/org';
import { STEPS, initialState, mappingRequest, stepComplete, type WizardState } from './wizard-state';
import { StepOverview } from './step-overview';
import { StepOrg } from './step-org';
import { StepConsent } from './step-consent';
import { StepDataset } from './step-dataset';
import { StepMapping } from './step-mapping';
import { StepReview } from './step-review';

const useStyles = makeStyles({
  layout: { display: 'grid', gridTemplateColumns: 'minmax(160px, 220px) 1fr', gap: tokens.spacingHorizontalXL, '@media (max-width: 720px)': { gridTemplateColumns: '1fr' } },
  steps: { listStyleType: 'none', margin: '0', padding: '0', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  step: { padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke2}`, color: tokens.colorNeutralForeground3 },
  stepDone: { color: tokens.colorNeutralForeground2 },
  stepCurrent: { color: tokens.colorNeutralForeground1, fontWeight: tokens.fontWeightSemibold, borderLeftColor: tokens.colorCompoundBrandStroke },
  heading: { ...typographyStyles.subtitle1, margin: '0' },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: '0' },
  nav: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', marginTop: tokens.spacingVerticalM },
  blocked: { color: tokens.colorPaletteRedForeground1 },
});

/** The configuration wizard (MISSION §2): six steps, then PUT /api/config. */
export function SetupWizard({ config, onSaved }: { config: ConfigState | null; onSaved: () => void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const [step, setStep] = useState(0);
  const [state, setState] = useState<WizardState>(() => initialState(config?.config ?? null));
  const [attempted, setAttempted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [savedNow, setSaved] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const onChange = useCallback((patch: Partial<WizardState>) => setState((s) => ({ ...s, ...patch })), []);

  // Editing a saved configuration starts from its datasets and mapping: no file to upload again.
  // A dataset that is gone (pruned, or a new data folder) simply leaves the upload step open.
  const saved = config?.config ?? null;
  useEffect(() => {
    if (!saved) return;
    let live = true;
    void Promise.all([getDataset(saved.contacts.datasetId), saved.accounts ? getDataset(saved.accounts.datasetId) : Promise.resolve(null)]).then(
      ([contacts, accounts]) => {
        if (!live) return;
        setState((s) =>
          s.contacts
            ? s
            : {
                ...s,
                contacts,
                accounts,
                mapping: { ...saved.contacts.mapping, ...(accounts ? { accountsDatasetId: accounts.datasetId } : {}) },
                ...(saved.accounts ? { accountsMapping: saved.accounts.mapping } : {}),
              },
        );
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [saved]);
  const name = STEPS[step] ?? 'overview';
  const complete = stepComplete(name, state);
  const last = step === STEPS.length - 1;

  const go = (to: number) => {
    setStep(to);
    setAttempted(false);
    // Focus follows the step so keyboard and screen-reader users land on the new content.
    requestAnimationFrame(() => headingRef.current?.focus());
  };

  const blockedReason: Record<typeof name, string | null> = {
    overview: null,
    org: t.setup.org.rule,
    consent: t.setup.consent.required,
    dataset: t.setup.dataset.required,
    mapping: t.setup.mapping.required,
    review: t.setup.review.nameRequired,
  };

  const save = async () => {
    setAttempted(true);
    if (!complete || !state.contacts) return;
    setSaving(true);
    setSaveError(null);
    try {
      const { accountsDatasetId: _id, accountsMapping: _columns, ...contactsMapping } = mappingRequest(state);
      await saveConfig({
        name: state.name.trim(),
        orgEntries: parseOrgEntries(state.orgText),
        consentAccepted: true,
        contacts: { datasetId: state.contacts.datasetId, mapping: contactsMapping },
        ...(state.accounts
          ? {
              accounts: {
                datasetId: state.accounts.datasetId,
                mapping: state.accountsMapping,
              },
            }
          : {}),
        ...(config?.config ? { expectedVersion: config.version } : {}),
      });
      setSaved(true);
      onSaved();
    } catch (error) {
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  };

  const stepNames = STEPS.map((s) => t.setup.steps[s]);

  return (
    <Card>
      <section className={styles.layout} aria-label={t.setup.wizardLabel}>
        <ol className={styles.steps}>
          {STEPS.map((s, i) => (
            <li key={s} className={mergeClasses(styles.step, i < step && styles.stepDone, i === step && styles.stepCurrent)} aria-current={i === step ? 'step' : undefined}>
              {i + 1}. {stepNames[i]}
            </li>
          ))}
        </ol>
        <div className={styles.body}>
          <h2 className={styles.heading} ref={headingRef} tabIndex={-1}>
            {t.setup.stepOf(step + 1, STEPS.length, stepNames[step] ?? '')}
          </h2>
          {config?.config && <Text>{t.setup.current(config.config.name, config.version)}</Text>}
          {name === 'overview' && <StepOverview />}
          {name === 'org' && <StepOrg state={state} onChange={onChange} />}
          {name === 'consent' && <StepConsent state={state} onChange={onChange} />}
          {name === 'dataset' && <StepDataset state={state} onChange={onChange} />}
          {name === 'mapping' && <StepMapping state={state} onChange={onChange} />}
          {name === 'review' && <StepReview state={state} onChange={onChange} showErrors={attempted} />}
          {saveError !== null && <ErrorState error={saveError} />}
          {savedNow && (
            <MessageBar intent="success">
              <MessageBarBody>{t.setup.review.saved}</MessageBarBody>
            </MessageBar>
          )}
          <div className={styles.nav}>
            <Button disabled={step === 0} onClick={() => go(step - 1)}>
              {t.common.back}
            </Button>
            {last ? (
              <Button appearance="primary" disabledFocusable={saving} onClick={() => void save()}>
                {saving ? t.common.saving : t.setup.review.save}
              </Button>
            ) : (
              <Button appearance="primary" disabledFocusable={!complete} aria-describedby={complete ? undefined : 'wizard-blocked'} onClick={() => complete && go(step + 1)}>
                {t.common.next}
              </Button>
            )}
            {!complete && !last && blockedReason[name] && (
              <Text id="wizard-blocked" className={styles.blocked}>
                {blockedReason[name]}
              </Text>
            )}
          </div>
        </div>
      </section>
    </Card>
  );
}
