import type { ReactNode } from 'react';
import { Badge, Button, Card, Link, Subtitle2, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { EditRegular } from '@fluentui/react-icons';
import type { SavedConfig } from '../../../lib/api-types';
import { paths } from '../../../lib/router';
import { useI18n } from '../../../i18n/i18n';
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state';
import { useConfigHistory, useConfiguration, useDatasetInfo, type ConfigHistory, type ConfigPart } from '../api/configuration';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: '0' },
  parts: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 300px), 1fr))', gap: tokens.spacingHorizontalL },
  part: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: '0' },
  partHead: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  lines: { margin: '0', paddingInlineStart: '0', listStyleType: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  line: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
  history: { margin: '0', paddingInlineStart: '0', listStyleType: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  entry: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, paddingBlock: tokens.spacingVerticalXS, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  entryHead: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
});

/** Where each part is edited: the wizard's steps for that part alone, the run panel, or the settings page. */
function editHref(part: ConfigPart): string {
  switch (part) {
    case 'schedule':
      return paths.setup();
    case 'rules':
      return paths.settings();
    case 'name':
    case 'mailboxes':
    case 'datasets':
    case 'mapping':
    case 'tenantAdmin':
      return paths.configurationEdit(part);
    default: {
      const exhaustive: never = part;
      return exhaustive;
    }
  }
}

function Part({ part, children }: { part: ConfigPart; children: ReactNode }) {
  const styles = useStyles();
  const { t } = useI18n();
  const label = t.configuration.parts[part];
  const id = `configuration-part-${part}`;
  return (
    <Card className={styles.part} aria-labelledby={id}>
      <div className={styles.partHead}>
        <Subtitle2 as="h2" id={id}>
          {label}
        </Subtitle2>
        <Button as="a" href={editHref(part)} size="small" icon={<EditRegular />} aria-label={t.configuration.editPart(label)}>
          {t.configuration.edit}
        </Button>
      </div>
      {children}
    </Card>
  );
}

function Lines({ items }: { items: string[] }) {
  const styles = useStyles();
  return (
    <ul className={styles.lines}>
      {items.map((item, i) => (
        <li key={i} className={styles.line}>
          {item}
        </li>
      ))}
    </ul>
  );
}

function DatasetLine({ label, datasetId }: { label: string; datasetId: string }) {
  const styles = useStyles();
  const { t } = useI18n();
  const info = useDatasetInfo(datasetId);
  return (
    <li className={styles.line}>
      <Text weight="semibold">{label}: </Text>
      {info.error ? (
        <Text className={styles.muted}>{datasetId}</Text>
      ) : info.data === undefined ? (
        <Text className={styles.muted}>{t.common.loading}</Text>
      ) : info.data === null ? (
        <Text>{t.configuration.fileGone}</Text>
      ) : (
        <Text>
          {info.data.fileName} · {t.configuration.rows(info.data.rows)}
        </Text>
      )}
    </li>
  );
}

function Parts({ config }: { config: SavedConfig }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const c = t.configuration;
  const m = c.mapping;
  const mapped = (value: string | undefined) => value || c.notMapped;
  const { rules, schedule } = config;
  const pct = (v: number) => fmt.percent(v);
  const time = schedule ? `${String(schedule.hour).padStart(2, '0')}:${String(schedule.minute).padStart(2, '0')}` : '';
  return (
    <div className={styles.parts}>
      <Part part="name">
        <Text className={styles.line}>{config.name}</Text>
      </Part>
      <Part part="mailboxes">
        <Lines items={config.orgEntries} />
        <Text className={styles.muted}>{config.mailboxCount === null ? c.mailboxesUnchecked : c.mailboxCount(config.mailboxCount)}</Text>
      </Part>
      <Part part="datasets">
        <ul className={styles.lines}>
          <DatasetLine label={c.contactsFile} datasetId={config.contacts.datasetId} />
          {config.accounts && <DatasetLine label={c.accountsFile} datasetId={config.accounts.datasetId} />}
        </ul>
      </Part>
      <Part part="mapping">
        <Lines
          items={[
            `${m.email}: ${mapped(config.contacts.mapping.email)}`,
            `${m.accountId}: ${mapped(config.contacts.mapping.accountId)}`,
            `${m.accountName}: ${mapped(config.contacts.mapping.accountName)}`,
            ...(config.accounts
              ? [`${m.accountsId}: ${mapped(config.accounts.mapping.accountId)}`, `${m.accountsName}: ${mapped(config.accounts.mapping.name)}`, `${m.accountsDomain}: ${mapped(config.accounts.mapping.domain)}`]
              : [`${m.domain}: ${mapped(config.contacts.mapping.domain)}`]),
          ]}
        />
      </Part>
      <Part part="tenantAdmin">
        <Text className={styles.line}>{config.tenantAdmin ? `${config.tenantAdmin.name} · ${config.tenantAdmin.email}` : c.notNamed}</Text>
      </Part>
      <Part part="schedule">
        <Text>{schedule ? c.scheduleAt(t.runs.schedule.days[schedule.dayOfWeek] ?? '', time, schedule.timeZone) : c.scheduleDefault}</Text>
      </Part>
      <Part part="rules">
        <Lines
          items={[
            c.stale(rules.staleDays, rules.upcomingMeetingSuppressesStale),
            c.weights(pct(rules.weights.emails), pct(rules.weights.meetings), pct(rules.weights.breadth), pct(rules.weights.recency), pct(rules.weights.reciprocity)),
            c.internalDomains(rules.extraInternalDomains.length),
            c.exclusions(rules.exclusions.length),
            c.privacy(rules.minimumColleagues),
          ]}
        />
      </Part>
    </div>
  );
}

function History({ history }: { history: ConfigHistory }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const c = t.configuration;
  const oldest = history.versions.at(-1);
  return (
    <Card>
      <Subtitle2 as="h2">{c.historyTitle}</Subtitle2>
      <ol className={styles.history} aria-label={c.historyLabel}>
        {history.versions.map((v, i) => (
          <li key={v.version} className={styles.entry}>
            <div className={styles.entryHead}>
              <Text weight="semibold">{c.historyEntry(v.version, v.savedBy.name, fmt.dateTime(v.savedAt))}</Text>
              {i === 0 && (
                <Badge appearance="tint" color="brand">
                  {c.currentBadge}
                </Badge>
              )}
            </div>
            <Text className={styles.muted}>
              {v.first ? c.firstVersion : v.changed.length > 0 ? c.changed(v.changed.map((p) => c.parts[p]).join(', ')) : v === oldest ? c.olderNotKept : c.unchanged}
            </Text>
          </li>
        ))}
      </ol>
    </Card>
  );
}

/** The saved configuration at a glance: each part with its Edit action, who saved it and when, and the version history. */
export function ConfigurationSummary() {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const config = useConfiguration();
  const history = useConfigHistory();
  const c = t.configuration;
  return (
    <div className={styles.root}>
      <Title2 as="h1">{c.title}</Title2>
      <Text as="p">{c.intro}</Text>
      {config.error ? (
        <ErrorState error={config.error} onRetry={config.reload} />
      ) : !config.data ? (
        <LoadingState rows={4} />
      ) : !config.data.config ? (
        <EmptyState title={c.empty}>
          <Link href={paths.setup()}>{c.startSetup}</Link>
        </EmptyState>
      ) : (
        <>
          <Text>{c.current(config.data.version, config.data.updatedBy ?? '—', fmt.dateTime(config.data.updatedAt))}</Text>
          <Parts config={config.data.config} />
          {history.error ? <ErrorState error={history.error} onRetry={history.reload} /> : !history.data ? <LoadingState rows={3} /> : <History history={history.data} />}
        </>
      )}
    </div>
  );
}
