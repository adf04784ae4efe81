import {
  Button,
  Link,
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
import { useId, useLayoutEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { ApiError, userMessage } from '../lib/api-client';
import { paths } from '../lib/router';
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

/**
 * Errors already on screen, so a page shows each problem once. When the service is down every
 * section of a page fails with the same message; one bar says so and its Retry reloads all of
 * them, instead of one identical bar per section.
 */
interface ShownError {
  id: string;
  retry: { current: (() => void) | undefined };
}
const shownErrors = new Map<string, ShownError[]>();
const errorListeners = new Set<() => void>();
let errorsVersion = 0;

function changed() {
  errorsVersion++;
  for (const listener of errorListeners) listener();
}

function subscribeErrors(listener: () => void) {
  errorListeners.add(listener);
  return () => errorListeners.delete(listener);
}

/** An error a retry cannot fix: the thing is missing, or the request itself is wrong. */
export function isPermanent(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && ![401, 408, 409, 423, 425, 429].includes(error.status);
}

/**
 * The API's message in a MessageBar. Retry shows only when retrying can help (not for a missing
 * account or a rejected request); `actions` adds a way forward (e.g. back to the list). An error
 * with the same words as one already on the page is not repeated.
 */
export function ErrorState({ error, onRetry, actions }: { error: unknown; onRetry?: () => void; actions?: ReactNode }) {
  const { t } = useI18n();
  const id = useId();
  const message = userMessage(error, t);
  const key = `${message.title}\n${message.detail ?? ''}`;
  const retry = isPermanent(error) ? undefined : onRetry;
  const retryRef = useRef(retry);
  retryRef.current = retry;

  useLayoutEffect(() => {
    const list = shownErrors.get(key) ?? [];
    list.push({ id, retry: retryRef });
    shownErrors.set(key, list);
    changed();
    return () => {
      const rest = (shownErrors.get(key) ?? []).filter((entry) => entry.id !== id);
      if (rest.length) shownErrors.set(key, rest);
      else shownErrors.delete(key);
      changed();
    };
  }, [id, key]);
  useSyncExternalStore(subscribeErrors, () => errorsVersion, () => errorsVersion);

  const same = shownErrors.get(key);
  // Before its layout effect runs an error is not listed yet: it renders, then settles.
  if (same && same.length > 0 && same[0]!.id !== id && same.some((entry) => entry.id === id)) return null;
  const retries = same?.length ? same.map((entry) => entry.retry) : [retryRef];
  const canRetry = retries.some((r) => !!r.current);
  const retryAll = () => {
    for (const r of retries) r.current?.();
  };
  // A missing page or account: nothing to retry, so offer the way back instead.
  const way = actions ?? (error instanceof ApiError && error.status === 404 ? <Link href={paths.dashboard()}>{t.app.goHome}</Link> : null);

  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{message.title}</MessageBarTitle>
        {/* A real space: the title's own gap is CSS only, so copied or read text ran together. */}
        {message.detail && ` ${message.detail}`}
      </MessageBarBody>
      {(canRetry || way) && (
        <MessageBarActions>
          {way}
          {canRetry && <Button onClick={retryAll}>{t.common.retry}</Button>}
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
