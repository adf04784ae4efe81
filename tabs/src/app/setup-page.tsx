import { useState } from 'react';
import { Link, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { useI18n } from '../i18n/i18n';
import { paths } from '../lib/router';
import { EmptyState, ErrorState, LoadingState } from '../components/page-state';
import { useConfig } from '../features/setup/api/config';
import { SetupWizard } from '../features/setup/components/setup-wizard';
import { isWizardPart } from '../features/setup/components/wizard-state';
import { useConsent } from '../features/consent/api/consent';
import { ConsentPanel } from '../features/consent/components/consent-panel';
import { AskTenantAdmin } from '../features/consent/components/ask-tenant-admin';
import { RunPanel } from '../features/runs/components/run-panel';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

/**
 * The admin page: the configuration wizard, tenant-admin consent, then runs and schedule. With
 * `part` (from the configuration summary's Edit) it shows only that part's steps of the wizard.
 */
export function SetupPage({ part }: { part?: string }) {
  const styles = useStyles();
  const { t } = useI18n();
  const config = useConfig();
  // One consent status for the page: the wizard's message after a save and the panel agree.
  const consent = useConsent();
  // After a save the wizard offers to ask the tenant administrator; the panel then leaves that to it.
  const [askedInWizard, setAskedInWizard] = useState(false);
  const editing = part !== undefined && isWizardPart(part) ? part : undefined;
  const saved = config.data?.config ?? null;

  if (part !== undefined && !editing) {
    return (
      <div className={styles.root}>
        <Title2 as="h1">{t.configuration.title}</Title2>
        <Text as="p">{t.app.notFoundBody(part)}</Text>
        <Link href={paths.configuration()}>{t.setupSave.backToSummary}</Link>
      </div>
    );
  }

  return (
    <div className={styles.root}>
      <Title2 as="h1">{editing ? t.setupSave.editing(t.configuration.parts[editing]) : t.setup.title}</Title2>
      {saved && !editing && <Link href={paths.configuration()}>{t.setupSave.summaryLink}</Link>}
      {config.error ? (
        <ErrorState error={config.error} onRetry={config.reload} />
      ) : !config.data ? (
        <LoadingState rows={4} />
      ) : editing && !saved ? (
        <EmptyState title={t.configuration.empty}>
          <Link href={paths.setup()}>{t.configuration.startSetup}</Link>
        </EmptyState>
      ) : (
        <SetupWizard
          config={config.data}
          consent={consent.data}
          part={editing}
          onReload={config.reload}
          onSaved={(result) => {
            setAskedInWizard(!!result.config?.tenantAdmin);
            config.reload();
            consent.reload();
          }}
          afterSave={(result) => (result.config?.tenantAdmin ? <AskTenantAdmin admin={result.config.tenantAdmin} onAsked={consent.reload} /> : null)}
        />
      )}
      {!editing && <ConsentPanel consent={consent} tenantAdmin={saved?.tenantAdmin ?? null} ask={!askedInWizard} />}
      {!editing && <RunPanel />}
    </div>
  );
}
