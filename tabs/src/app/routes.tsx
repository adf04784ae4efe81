import { Link, Text, Title2 } from '@fluentui/react-components';
import type { Route } from '../lib/router';
import { paths } from '../lib/router';
import { useI18n } from '../i18n/i18n';
import { Dashboard } from '../features/dashboard/components/dashboard';
import { OfficeTable } from '../features/office/components/office-table';
import { AccountCard } from '../features/account-card/components/account-card';
import { SegmentsPage } from '../features/segments/components/segments-page';
import { SettingsPage } from '../features/settings/components/settings-page';
import { UserTable } from '../features/user-table/components/user-table';
import { ChannelConfig } from '../features/channel-config/components/channel-config';
import { ConfigurationSummary } from '../features/configuration/components/configuration-summary';
import { SetupPage } from './setup-page';

function NotFound({ path }: { path: string }) {
  const { t } = useI18n();
  return (
    <>
      <Title2 as="h1">{t.app.notFoundTitle}</Title2>
      <Text as="p">{t.app.notFoundBody(path)}</Text>
      <Link href={paths.dashboard()}>{t.app.goHome}</Link>
    </>
  );
}

/** The route table: features are composed here and never import each other. */
export function RouteView({ route }: { route: Route }) {
  switch (route.name) {
    case 'dashboard':
      return <Dashboard />;
    case 'office':
      return <OfficeTable initialQuery={route.query} />;
    case 'account':
      return <AccountCard key={route.id} accountId={route.id} />;
    case 'segments':
      return <SegmentsPage key={route.query.get('open') ?? ''} open={route.query.get('open')} />;
    case 'settings':
      return <SettingsPage />;
    case 'setup':
      return <SetupPage />;
    case 'configuration':
      return <ConfigurationSummary />;
    case 'configurationEdit':
      return <SetupPage key={route.part} part={route.part} />;
    case 'users':
      return <UserTable />;
    case 'config':
      return <ChannelConfig />;
    case 'notFound':
      return <NotFound path={route.path} />;
  }
}
