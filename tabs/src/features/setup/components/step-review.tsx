import { Field, Input } from '@fluentui/react-components';
import { useI18n } from '../../../i18n/i18n';
import { FactList } from '../../../components/fact-list';
import type { WizardState } from './wizard-state';

/** Step 6: name the enrichment and review what will be saved. */
export function StepReview({ state, onChange, showErrors }: { state: WizardState; onChange: (patch: Partial<WizardState>) => void; showErrors: boolean }) {
  const { t, fmt } = useI18n();
  const r = t.setup.review;
  const mapping = [state.mapping.email, state.mapping.accountId, state.mapping.accountName, state.mapping.domain, state.accountsMapping.accountId, state.accountsMapping.name, state.accountsMapping.domain]
    .filter(Boolean)
    .join(' · ');
  const rows: [string, string][] = [
    [r.mailboxes, state.orgDeferred ? r.mailboxesDeferred : fmt.number(state.org?.mailboxCount ?? 0)],
    [r.consentGiven, state.agreed ? r.accepted : t.common.no],
    [r.contactsFile, state.contacts ? t.setup.dataset.uploaded(state.contacts.fileName, state.contacts.rows) : t.common.none],
    [r.accountsFile, state.accounts ? t.setup.dataset.uploaded(state.accounts.fileName, state.accounts.rows) : t.common.none],
    [r.mappingLabel, mapping],
  ];
  return (
    <>
      <Field label={r.name} hint={r.nameHint} required validationMessage={showErrors && !state.name.trim() ? r.nameRequired : undefined}>
        <Input value={state.name} onChange={(_, d) => onChange({ name: d.value })} />
      </Field>
      <FactList label={r.summaryTitle} items={rows.map(([label, value]) => ({ label, value }))} />
    </>
  );
}
