import { useEffect, useRef, useState } from 'react';
import { Field, MessageBar, MessageBarBody, Radio, RadioGroup, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { useHost } from '../../../lib/host-context';
import { registerChannelConfig, type ChannelView } from '../../../lib/teams';
import { useI18n } from '../../../i18n/i18n';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '560px' },
});

/** The channel/group tab's configuration page (`configurationUrl` in the manifest). */
export function ChannelConfig() {
  const styles = useStyles();
  const { t } = useI18n();
  const { inTeams } = useHost();
  const [view, setView] = useState<ChannelView>('dashboard');
  const viewRef = useRef(view);
  viewRef.current = view;

  useEffect(() => {
    if (inTeams) void registerChannelConfig(() => viewRef.current, t.app.name);
  }, [inTeams, t.app.name]);

  return (
    <div className={styles.root}>
      <Title2 as="h1">{t.config.title}</Title2>
      <Text>{t.config.intro}</Text>
      <Field label={t.config.view}>
        <RadioGroup value={view} onChange={(_, d) => setView(d.value as ChannelView)}>
          <Radio value="dashboard" label={t.config.dashboard} />
          <Radio value="segments" label={t.config.segments} />
        </RadioGroup>
      </Field>
      <MessageBar intent="info">
        <MessageBarBody>{inTeams ? t.config.ready : t.config.outsideTeams}</MessageBarBody>
      </MessageBar>
    </div>
  );
}
