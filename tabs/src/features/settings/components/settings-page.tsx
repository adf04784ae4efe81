import { useState } from 'react';
import { Button, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import type { ConfigState } from '../../../lib/api-types';
import { paths } from '../../../lib/router';
import { useHost } from '../../../lib/host-context';
import { useI18n } from '../../../i18n/i18n';
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state';
import { useConfig } from '../api/rules';
import { RulesForm } from './rules-form';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '880px' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/**
 * The rules DESIGN makes configurable (issue 16 §1): stale threshold and suppression, score
 * weights, extra internal domains, exclusions and the privacy threshold. Admins edit and save
 * them as a new configuration version; everyone else reads them.
 */
export function SettingsPage() {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const { isAdmin } = useHost();
  const config = useConfig();
  // The answer of the last save: shown at once, without waiting for a reload.
  const [saved, setSaved] = useState<ConfigState | null>(null);
  const state = saved && (!config.data || saved.version >= config.data.version) ? saved : config.data;

  let body;
  if (config.error && !state) body = <ErrorState error={config.error} onRetry={config.reload} />;
  else if (!state) body = <LoadingState rows={6} />;
  else if (!state.config)
    body = (
      <EmptyState title={t.settings.notConfiguredTitle}>
        <Text>{isAdmin ? t.settings.notConfiguredBody : t.settings.notConfiguredNonAdmin}</Text>
        {isAdmin && (
          <Button as="a" appearance="primary" href={paths.setup()}>
            {t.settings.goToSetup}
          </Button>
        )}
      </EmptyState>
    );
  else
    body = (
      <>
        {state.updatedAt && <Text className={styles.muted}>{t.settings.version(state.version, state.updatedBy ?? '—', fmt.dateTime(state.updatedAt))}</Text>}
        <RulesForm
          // A new version (saved here or loaded after a conflict) starts a fresh draft.
          key={state.version}
          version={state.version}
          rules={state.config.rules}
          readOnly={!isAdmin}
          justSaved={saved !== null && saved.version === state.version}
          onSaved={setSaved}
          onReload={() => {
            setSaved(null);
            config.reload();
          }}
        />
      </>
    );

  return (
    <div className={styles.root}>
      <Title2 as="h1">{t.settings.title}</Title2>
      <Text as="p">{t.settings.intro}</Text>
      {body}
    </div>
  );
}
