import { useState } from 'react';
import { Badge, Button, Card, CardHeader, Link, Subtitle2, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular, ShieldKeyholeRegular } from '@fluentui/react-icons';
import type { ConsentStatus, ConsentStatusName } from '../../../lib/api-types';
import type { Resource } from '../../../lib/use-resource';
import { paths } from '../../../lib/router';
import { useHost } from '../../../lib/host-context';
import { openConsentWindow } from '../../../lib/teams';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState, LoadingState } from '../../../components/page-state';
import { checkConsent, requestConsent, useConsent } from '../api/consent';
import { AskTenantAdmin } from './ask-tenant-admin';

const COLOR: Record<ConsentStatusName, 'success' | 'warning' | 'danger' | 'informative'> = {
  granted: 'success',
  pending: 'warning',
  denied: 'danger',
  notRequested: 'informative',
};

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  lists: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))', gap: tokens.spacingHorizontalL },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM },
  list: { margin: '0', paddingInlineStart: tokens.spacingHorizontalXL },
  mono: { fontFamily: tokens.fontFamilyMonospace },
});

/** True when runs may start: granted, with every required permission. */
export function consentReady(c: ConsentStatus | undefined): boolean {
  return c?.status === 'granted' && c.missingPermissions.length === 0;
}

/**
 * Tenant-admin consent: granted vs missing permissions, the admin consent flow, and asking the
 * named tenant administrator (who was asked, when and by whom, until consent arrives).
 * `consent` is passed when the page shares the status with other parts (the wizard's messages).
 */
export function ConsentPanel(props: {
  consent?: Resource<ConsentStatus>;
  tenantAdmin?: { name: string; email: string } | null;
  /** @default true; false when the page offers the same actions elsewhere (right after a save). */
  ask?: boolean;
}) {
  const own = useConsent();
  return <ConsentPanelView consent={props.consent ?? own} tenantAdmin={props.tenantAdmin ?? null} ask={props.ask ?? true} />;
}

function ConsentPanelView({ consent, tenantAdmin, ask }: { consent: Resource<ConsentStatus>; tenantAdmin: { name: string; email: string } | null; ask: boolean }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const { inTeams } = useHost();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const recheck = async () => {
    setBusy(true);
    setError(null);
    try {
      await checkConsent();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      consent.reload();
    }
  };

  const openConsent = async () => {
    setBusy(true);
    setError(null);
    try {
      const { url } = await requestConsent();
      await openConsentWindow(url, inTeams);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      consent.reload();
    }
  };

  const c = consent.data;
  return (
    <Card>
      <CardHeader header={<Subtitle2 as="h2">{t.consent.title}</Subtitle2>} />
      <div className={styles.body}>
        <Text>{t.consent.explain}</Text>
        {consent.error ? (
          <ErrorState error={consent.error} onRetry={consent.reload} />
        ) : !c ? (
          <LoadingState rows={2} />
        ) : (
          <>
            <div role="status" aria-live="polite">
              <Badge appearance="filled" color={COLOR[c.status]} size="large">
                {t.consent.status[c.status]}
              </Badge>{' '}
              {c.grantedAt && <Text>{t.consent.grantedAt(fmt.dateTime(c.grantedAt))}</Text>}
            </div>
            {c.error && <ErrorState error={new Error(c.error)} />}
            {!consentReady(c) && c.adminRequest && (
              <Text>
                {t.askAdmin.asked(c.adminRequest.recipient.name, fmt.dateTime(c.adminRequest.askedAt), c.adminRequest.askedBy.name)} {t.askAdmin.channels[c.adminRequest.channel]}.
              </Text>
            )}
            <div className={styles.lists}>
              <section aria-label={t.consent.granted}>
                <Text weight="semibold">{t.consent.granted}</Text>
                <ul className={styles.list}>
                  {c.grantedPermissions.length === 0 ? <li>{t.common.none}</li> : c.grantedPermissions.map((p) => <li key={p} className={styles.mono}>{p}</li>)}
                </ul>
              </section>
              <section aria-label={t.consent.missing}>
                <Text weight="semibold">{t.consent.missing}</Text>
                <ul className={styles.list}>
                  {c.missingPermissions.length === 0 ? <li>{t.common.none}</li> : c.missingPermissions.map((p) => <li key={p} className={styles.mono}>{p}</li>)}
                </ul>
              </section>
            </div>
          </>
        )}
        {ask &&
          c &&
          !consentReady(c) &&
          (tenantAdmin ? (
            <AskTenantAdmin admin={tenantAdmin} onAsked={consent.reload} />
          ) : (
            <Text>
              {t.askAdmin.noAdmin} <Link href={paths.configurationEdit('tenantAdmin')}>{t.askAdmin.nameAdmin}</Link>
            </Text>
          ))}
        {error !== null && <ErrorState error={error} />}
        <div className={styles.actions}>
          {/* Also after a partial grant: the admin consents again to add the missing permissions. */}
          {(c?.status !== 'granted' || c.missingPermissions.length > 0) && (
            <Button appearance="primary" icon={<ShieldKeyholeRegular />} disabled={busy} onClick={() => void openConsent()}>
              {t.consent.request}
            </Button>
          )}
          <Button icon={<ArrowClockwiseRegular />} disabled={busy} onClick={() => void recheck()}>
            {t.consent.refresh}
          </Button>
        </div>
      </div>
    </Card>
  );
}
