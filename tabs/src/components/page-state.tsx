import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Skeleton,
  SkeletonItem,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { userMessage } from '../lib/api-client';
import { useI18n } from '../i18n/i18n';

const useStyles = makeStyles({
  skeleton: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingVerticalM },
  empty: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingVerticalXXL,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
});

/** A loading placeholder: skeleton rows, or a spinner with a label when `inline`. */
export function LoadingState({ rows = 3, inline = false }: { rows?: number; inline?: boolean }) {
  const styles = useStyles();
  const { t } = useI18n();
  if (inline) return <Spinner size="tiny" label={t.common.loading} />;
  return (
    <div role="status" aria-live="polite" className={styles.skeleton}>
      <Skeleton aria-label={t.common.loading}>
        {Array.from({ length: rows }, (_, i) => (
          <SkeletonItem key={i} size={24} />
        ))}
      </Skeleton>
    </div>
  );
}

/** The API's message in a MessageBar, with a Retry button when the caller can retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const message = userMessage(error, t);
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{message.title}</MessageBarTitle>
        {message.detail}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button onClick={onRetry}>{t.common.retry}</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  const styles = useStyles();
  return (
    <section className={styles.empty} aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
