import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { Button, Card, Link, MessageBar, MessageBarActions, MessageBarBody, Text, makeStyles, mergeClasses, tokens, typographyStyles } from '@fluentui/react-components';
import type { ConfigState, ConsentStatus } from '../../../lib/api-types';
import { ApiError } from '../../../lib/api-client';
import { paths } from '../../../lib/router';
import { useI18n } from '../../../i18n/i18n';
import type { Messages } from '../../../i18n/en-US';
import { ErrorState } from '../../../components/page-state';
import { saveConfig } from '../api/config';
import { getDataset } from '../api/datasets';
import { PART_STEPS, STEPS, initialState, saveBody, stepComplete, tenantAdminProblem, type StepName, type WizardPart, type WizardState } from './wizard-state';
import { StepOverview } from './step-overview';
import { StepOrg } from './step-org';
import { StepConsent } from './step-consent';
import { StepDataset } from './step-dataset';
import { StepMapping } from './step-mapping';
import { StepReview } from './step-review';

const useStyles = makeStyles({
  layout: { display: 'grid', gridTemplateColumns: 'minmax(160px, 220px) 1fr', gap: tokens.spacingHorizontalXL, '@media (max-width: 720px)': { gridTemplateColumns: '1fr' } },
  single: { display: 'block' },
  steps: { listStyleType: 'none', margin: '0', padding: '0', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  step: { padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke2}`, color: tokens.colorNeutralForeground3 },
  stepDone: { color: tokens.colorNeutralForeground2 },
  stepCurrent: { color: tokens.colorNeutralForeground1, fontWeight: tokens.fontWeightSemibold, borderLeftColor: tokens.colorCompoundBrandStroke },
  heading: { ...typographyStyles.subtitle1, margin: '0' },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: '0' },
  nav: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'center', marginTop: tokens.spacingVerticalM },
  blocked: { color: tokens.colorPaletteRedForeground1 },
});

export interface SetupWizardProps {
  config: ConfigState | null;
  /** Called with the version the server saved (the page reloads what it shows from it). */
  onSaved: (saved: ConfigState) => void;
  /** The consent status, so the message after a save says what really happens next. */
  consent?: ConsentStatus | undefined;
  /** Shown under the message after a save while consent is still needed (asking the tenant administrator). */
  afterSave?: ((saved: ConfigState) => ReactNode) | undefined;
  /** Edit only this part of the saved configuration (the summary page's Edit), not the whole walk. */
  part?: WizardPart | undefined;
  /** Loads the newest saved version after a conflict with someone else's save. */
  onReload?: (() => void) | undefined;
}

/**
 * Why Next waits on the file step. A refused upload is resolved by keeping the previous file,
 * uploading again or importing the valid rows, so "upload the contacts file" would mislead
 * when a file is still selected (or was just uploaded and refused).
 */
function datasetBlockedReason(state: WizardState, t: Messages): string {
  const refused = state.refusedUploads ?? {};
  if (refused.contacts || refused.accounts) {
    const previous = (refused.contacts && state.contacts) || (refused.accounts && state.accounts);
    return previous ? t.wizardHints.refusedKeepPrevious : t.wizardHints.refusedNoPrevious;
  }
  return t.setup.dataset.required;
}

/** The configuration wizard (MISSION §2): six steps, or the steps of one part, then PUT /api/config. */
export function SetupWizard({ config, onSaved, consent, afterSave, part, onReload }: SetupWizardProps) {
  const styles = useStyles();
  const { t } = useI18n();
  const steps: readonly StepName[] = part ? PART_STEPS[part] : STEPS;
  const [step, setStep] = useState(0);
  const [state, setState] = useState<WizardState>(() => initialState(config?.config ?? null));
  const [attempted, setAttempted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  // The version this editor builds on: the loaded one, then each version this editor saved. Sent as
  // expectedVersion, so a second save works and a save over someone else's is refused (409).
  const [baseVersion, setBaseVersion] = useState(config?.version ?? 0);
  const [savedNow, setSavedNow] = useState<ConfigState | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const onChange = useCallback((patch: Partial<WizardState>) => setState((s) => ({ ...s, ...patch })), []);

  // A newer version than this editor's (loaded after a conflict): start again from it.
  const loadedVersion = config?.version ?? 0;
  useEffect(() => {
    if (loadedVersion <= baseVersion) return;
    setBaseVersion(loadedVersion);
    setState(initialState(config?.config ?? null));
    setSaveError(null);
    setSavedNow(null);
    // Only a newer loaded version resets the editor; its own saves never do.
  }, [loadedVersion]);

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
  const name = steps[step] ?? 'overview';
  const complete = stepComplete(name, state);
  const last = step === steps.length - 1;

  // Focus follows the step so keyboard and screen-reader users land on the new content. It moves
  // as the new step is committed, not a frame later: a later move would pull focus out of a field
  // the user has already clicked into.
  const focusHeading = useRef(false);
  useLayoutEffect(() => {
    if (!focusHeading.current) return;
    focusHeading.current = false;
    headingRef.current?.focus();
  }, [step]);
  const go = (to: number) => {
    if (to === step) headingRef.current?.focus();
    else focusHeading.current = true;
    setStep(to);
    setAttempted(false);
  };

  const adminProblem = tenantAdminProblem(state);
  const blockedReason: Record<StepName, string | null> = {
    overview: null,
    org: t.setup.org.rule,
    consent: !state.agreed ? t.setup.consent.required : adminProblem ? t.tenantAdmin[adminProblem] : null,
    dataset: datasetBlockedReason(state, t),
    mapping: t.setup.mapping.required,
    review: t.setup.review.nameRequired,
  };

  const save = async () => {
    setAttempted(true);
    // Every step of the walk must hold, not only the last one shown.
    if (!steps.every((s) => stepComplete(s, state))) return;
    const body = saveBody(state, saved, baseVersion);
    if (!body) return;
    setSaving(true);
    setSaveError(null);
    setSavedNow(null);
    try {
      const result = await saveConfig(body);
      setBaseVersion(result.version);
      setSavedNow(result);
      onSaved(result);
    } catch (error) {
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  };

  const conflict = saveError instanceof ApiError && saveError.code === 'CONFIG_VERSION_CONFLICT';
  const consentReady = consent?.status === 'granted' && consent.missingPermissions.length === 0;
  const savedMessage = !savedNow
    ? null
    : !consent
      ? t.setupSave.savedPlain(savedNow.version)
      : consentReady
        ? t.setupSave.savedConsentReady(savedNow.version)
        : consent.status === 'granted'
          ? t.setupSave.savedConsentMissing(savedNow.version, consent.missingPermissions.join(', '))
          : t.setupSave.savedConsentNeeded(savedNow.version);

  const stepNames = steps.map((s) => t.setup.steps[s]);
  const partName = part ? t.configuration.parts[part] : null;

  return (
    <Card>
      <section className={mergeClasses(styles.layout, steps.length === 1 && styles.single)} aria-label={partName ? t.setupSave.editing(partName) : t.setup.wizardLabel}>
        {steps.length > 1 && (
          <ol className={styles.steps}>
            {steps.map((s, i) => (
              <li key={s} className={mergeClasses(styles.step, i < step && styles.stepDone, i === step && styles.stepCurrent)} aria-current={i === step ? 'step' : undefined}>
                {i + 1}. {stepNames[i]}
              </li>
            ))}
          </ol>
        )}
        <div className={styles.body}>
          <h2 className={styles.heading} ref={headingRef} tabIndex={-1}>
            {partName && steps.length === 1 ? t.setupSave.editing(partName) : t.setup.stepOf(step + 1, steps.length, stepNames[step] ?? '')}
          </h2>
          {config?.config && <Text>{t.setup.current(config.config.name, config.version)}</Text>}
          {name === 'overview' && <StepOverview />}
          {name === 'org' && <StepOrg state={state} onChange={onChange} />}
          {name === 'consent' && <StepConsent state={state} onChange={onChange} showErrors={attempted} />}
          {name === 'dataset' && <StepDataset state={state} onChange={onChange} />}
          {name === 'mapping' && <StepMapping state={state} onChange={onChange} />}
          {name === 'review' && <StepReview state={state} onChange={onChange} showErrors={attempted} />}
          {conflict ? (
            <MessageBar intent="warning" role="alert">
              <MessageBarBody>{t.setupSave.conflict}</MessageBarBody>
              {onReload && (
                <MessageBarActions>
                  <Button onClick={onReload}>{t.setupSave.loadNewest}</Button>
                </MessageBarActions>
              )}
            </MessageBar>
          ) : (
            saveError !== null && <ErrorState error={saveError} />
          )}
          {savedNow && savedMessage && (
            <MessageBar intent={consent && !consentReady ? 'warning' : 'success'} role="status">
              <MessageBarBody>{savedMessage}</MessageBarBody>
            </MessageBar>
          )}
          {savedNow && consent && !consentReady && afterSave?.(savedNow)}
          <div className={styles.nav}>
            {steps.length > 1 && (
              <Button disabled={step === 0} onClick={() => go(step - 1)}>
                {t.common.back}
              </Button>
            )}
            {last ? (
              <Button appearance="primary" disabledFocusable={saving} onClick={() => void save()}>
                {saving ? t.common.saving : part ? t.setupSave.saveChange : t.setup.review.save}
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
            {part && <Link href={paths.configuration()}>{t.setupSave.backToSummary}</Link>}
          </div>
        </div>
      </section>
    </Card>
  );
}
