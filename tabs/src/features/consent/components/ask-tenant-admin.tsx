import { useState } from 'react';
import { Button, Field, Input, Subtitle2, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { ChatRegular, CopyRegular, MailRegular } from '@fluentui/react-icons';
import { useHost } from '../../../lib/host-context';
import { openInBrowser } from '../../../lib/teams';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState } from '../../../components/page-state';
import { askTenantAdmin, type AdminRequestChannel, type ConsentAdminRequestResult } from '../api/consent';
import { mailtoLink, teamsChatLink } from './admin-request';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

type Outcome = { channel: AdminRequestChannel; result: ConsentAdminRequestResult; copied?: boolean };

/**
 * Asks the named tenant administrator for consent, the Teams-native way: a 1:1 chat opens with the
 * message ready (no extra permission: the signed-in admin sends it), or an email, or a copied link.
 * Each ask is recorded (who asked whom, when) so the consent panel can say so.
 */
export function AskTenantAdmin({ admin, onAsked }: { admin: { name: string; email: string }; onAsked?: () => void }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const { inTeams } = useHost();
  const a = t.askAdmin;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const messageFor = (result: ConsentAdminRequestResult) =>
    a.message({ name: admin.name, link: result.consentUrl, until: fmt.date(result.expiresAt), sender: result.request.askedBy.name, permissions: result.permissions.join(', ') });

  const ask = async (channel: AdminRequestChannel) => {
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      const result = await askTenantAdmin(channel);
      const message = messageFor(result);
      let copied: boolean | undefined;
      if (channel === 'teams') openInBrowser(teamsChatLink(admin.email, message), inTeams);
      else if (channel === 'email') openMailto(mailtoLink(admin.email, a.subject, message), inTeams);
      else copied = await copyText(result.consentUrl);
      setOutcome({ channel, result, ...(copied === undefined ? {} : { copied }) });
      onAsked?.();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const status = !outcome
    ? busy
      ? a.preparing
      : ''
    : outcome.channel === 'teams'
      ? a.opened(admin.name)
      : outcome.channel === 'email'
        ? a.emailOpened
        : outcome.copied
          ? a.copied
          : a.copyFailed;

  return (
    <section className={styles.root} aria-label={a.title(admin.name)}>
      <Subtitle2 as="h3">{a.title(admin.name)}</Subtitle2>
      <Text>{a.intro}</Text>
      <div className={styles.actions}>
        <Button appearance="primary" icon={<ChatRegular />} disabled={busy} onClick={() => void ask('teams')}>
          {a.teams(admin.name)}
        </Button>
        <Button icon={<MailRegular />} disabled={busy} onClick={() => void ask('email')}>
          {a.email}
        </Button>
        <Button icon={<CopyRegular />} disabled={busy} onClick={() => void ask('link')}>
          {a.copy}
        </Button>
      </div>
      <Text role="status" aria-live="polite">
        {status}
      </Text>
      {error !== null && <ErrorState error={error} />}
      {outcome && (
        <>
          <Field label={a.linkLabel}>
            <Input readOnly value={outcome.result.consentUrl} onFocus={(e) => e.currentTarget.select()} />
          </Field>
          <Field label={a.messageLabel}>
            <Textarea readOnly resize="vertical" value={messageFor(outcome.result)} onFocus={(e) => e.currentTarget.select()} />
          </Field>
        </>
      )}
    </section>
  );
}

/** The mail app: Teams opens it through the host; a browser through the location (no empty tab left behind). */
function openMailto(href: string, inTeams: boolean): void {
  if (inTeams) openInBrowser(href, true);
  else window.location.assign(href);
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (an iframe without clipboard-write): the link is shown to copy by hand.
    return false;
  }
}
