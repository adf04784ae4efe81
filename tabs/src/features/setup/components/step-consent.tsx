import { useState } from 'react';
import { Checkbox, Field, Input, Subtitle2, Text } from '@fluentui/react-components';
import { useI18n } from '../../../i18n/i18n';
import { tenantAdminProblem, type WizardState } from './wizard-state';

/** Step 3: the consent statement, "I agree", and who the tenant administrator is (asked after saving). */
export function StepConsent({ state, onChange, showErrors = false }: { state: WizardState; onChange: (patch: Partial<WizardState>) => void; showErrors?: boolean }) {
  const { t } = useI18n();
  const problem = tenantAdminProblem(state);
  // The address is judged once the field is left, not at every keystroke.
  const [emailLeft, setEmailLeft] = useState(false);
  // A half-filled pair is flagged once the email field is left (or Next was tried), not while typing.
  const nameError = problem === 'nameRequired' && (showErrors || emailLeft) ? t.tenantAdmin.nameRequired : undefined;
  const emailError =
    problem === 'emailInvalid' && (showErrors || emailLeft) ? t.tenantAdmin.emailInvalid : problem === 'emailRequired' && (showErrors || emailLeft) ? t.tenantAdmin.emailRequired : undefined;
  return (
    <>
      <Subtitle2 as="h3" block>{t.setup.consent.statementTitle}</Subtitle2>
      {t.setup.consent.statement.map((paragraph) => (
        <Text as="p" key={paragraph}>
          {paragraph}
        </Text>
      ))}
      <Checkbox required checked={state.agreed} onChange={(_, d) => onChange({ agreed: d.checked === true })} label={t.setup.consent.agree} />
      <Subtitle2 as="h3" block>{t.tenantAdmin.title}</Subtitle2>
      <Text as="p">{t.tenantAdmin.intro}</Text>
      <Field label={t.tenantAdmin.name} validationMessage={nameError}>
        <Input value={state.adminName} autoComplete="off" onChange={(_, d) => onChange({ adminName: d.value })} />
      </Field>
      <Field label={t.tenantAdmin.email} validationMessage={emailError}>
        <Input type="email" value={state.adminEmail} autoComplete="off" onBlur={() => setEmailLeft(true)} onChange={(_, d) => onChange({ adminEmail: d.value })} />
      </Field>
    </>
  );
}
