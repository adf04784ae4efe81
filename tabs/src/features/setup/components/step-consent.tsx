import { Checkbox, Subtitle2, Text } from '@fluentui/react-components';
import { useI18n } from '../../../i18n/i18n';
import type { WizardState } from './wizard-state';

/** Step 3: the consent statement and "I agree". */
export function StepConsent({ state, onChange }: { state: WizardState; onChange: (patch: Partial<WizardState>) => void }) {
  const { t } = useI18n();
  return (
    <>
      <Subtitle2 as="h3" block>{t.setup.consent.statementTitle}</Subtitle2>
      {t.setup.consent.statement.map((paragraph) => (
        <Text as="p" key={paragraph}>
          {paragraph}
        </Text>
      ))}
      <Checkbox required checked={state.agreed} onChange={(_, d) => onChange({ agreed: d.checked === true })} label={t.setup.consent.agree} />
    </>
  );
}
