import { useState } from 'react';
import { Title2, makeStyles, tokens } from '@fluentui/react-components';
import { useI18n } from '../i18n/i18n';
import { ErrorState, LoadingState } from '../components/page-state';
import { useConfig } from '../features/setup/api/config';
import { SetupWizard } from '../features/setup/components/setup-wizard';
import { ConsentPanel } from '../features/consent/components/consent-panel';
import { RunPanel } from '../features/runs/components/run-panel';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

/** The admin page: the configuration wizard, tenant-admin consent, then runs and schedule. */
export function SetupPage() {
  const styles = useStyles();
  const { t } = useI18n();
  const config = useConfig();
  // Saving the configuration requests consent, so the consent panel re-reads its status.
  const [saves, setSaves] = useState(0);
  return (
    <div className={styles.root}>
      <Title2 as="h1">{t.setup.title}</Title2>
      {config.error ? (
        <ErrorState error={config.error} onRetry={config.reload} />
      ) : !config.data ? (
        <LoadingState rows={4} />
      ) : (
        <SetupWizard config={config.data} onSaved={() => setSaves((n) => n + 1)} />
      )}
      <ConsentPanel key={saves} />
      <RunPanel />
    </div>
  );
}
