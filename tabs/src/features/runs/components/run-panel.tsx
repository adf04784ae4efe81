import { useEffect, useRef, useState } from 'react';
import { Button, Caption1, Card, CardHeader, Checkbox, MessageBar, MessageBarBody, Subtitle2, Text, makeStyles, tokens } from '@fluentui/react-components';
import { PlayRegular } from '@fluentui/react-icons';
import type { RunProgress as Progress, RunSummary } from '../../../lib/api-types';
import { useHost } from '../../../lib/host-context';
import { useResultsFreshness } from '../../../lib/results-freshness';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState, LoadingState } from '../../../components/page-state';
import { followRun, startRun, useRuns } from '../api/runs';
import { useSchedule } from '../api/schedule';
import { CancelRun } from './cancel-run';
import { RunProgress } from './run-progress';
import { RunHistory } from './run-history';
import { ScheduleForm } from './schedule-form';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
});

/**
 * Run now, Cancel, the live progress details pane (or the last run's outcome), the schedule and
 * the run history (MISSION §4). When a run this panel follows ends, every open view is told to
 * refresh at once rather than at the freshness watcher's next tick.
 */
export function RunPanel() {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const { inTeams } = useHost();
  const runs = useRuns();
  const schedule = useSchedule();
  const freshness = useResultsFreshness();
  const [full, setFull] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<unknown>(null);
  const [activeRunId, setActiveRunId] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  /** The answer to this panel's last Cancel: the ended run, or its error. */
  const [cancelOutcome, setCancelOutcome] = useState<{ run: RunSummary } | { error: unknown } | null>(null);
  const reloadRuns = runs.reload;
  const checkFreshness = freshness.check;

  // A run already going when the page opens is followed too, but not again once it ended
  // (the history may still list it as running until it reloads).
  const finished = useRef(new Set<string>());
  const running = runs.data?.runs.find((r) => r.status === 'running' && !finished.current.has(r.id));
  useEffect(() => {
    if (running && !activeRunId) {
      setActiveRunId(running.id);
      setProgress(running.progress);
    }
  }, [running, activeRunId]);

  useEffect(() => {
    if (!activeRunId) return;
    return followRun(
      activeRunId,
      {
        onProgress: setProgress,
        onFinished: (summary) => {
          finished.current.add(activeRunId);
          if (summary) setProgress(summary.progress);
          setActiveRunId(null);
          reloadRuns();
          checkFreshness();
        },
      },
      { sse: !inTeams },
    );
  }, [activeRunId, inTeams, reloadRuns, checkFreshness]);

  const onCancelled = (run: RunSummary) => {
    setCancelOutcome({ run });
    if (run.status === 'running') return; // still finishing a step: the follower reports the end
    finished.current.add(run.id);
    setProgress(run.progress);
    setActiveRunId(null);
    reloadRuns();
  };

  // With nothing running, the pane shows how the newest run ended, failures and all.
  const lastRun = !activeRunId && !progress ? runs.data?.runs.find((r) => r.status !== 'running') : undefined;

  const runNow = async () => {
    setStarting(true);
    setStartError(null);
    setCancelOutcome(null);
    try {
      const run = await startRun(full);
      setProgress(run.progress);
      setActiveRunId(run.id);
      reloadRuns();
    } catch (e) {
      setStartError(e);
    } finally {
      setStarting(false);
    }
  };

  return (
    <div className={styles.root}>
      <Card>
        <CardHeader header={<Subtitle2 as="h2">{t.runs.title}</Subtitle2>} />
        <div className={styles.body}>
          <div className={styles.actions}>
            <Button appearance="primary" icon={<PlayRegular />} disabled={starting || activeRunId !== null} onClick={() => void runNow()}>
              {t.runs.runNow}
            </Button>
            {activeRunId !== null && <CancelRun runId={activeRunId} onCancelled={onCancelled} onError={(error) => setCancelOutcome({ error })} />}
            <Checkbox label={t.runs.fullRefresh} checked={full} onChange={(_, d) => setFull(d.checked === true)} />
          </div>
          {startError !== null && <ErrorState error={startError} />}
          {cancelOutcome && 'error' in cancelOutcome && <ErrorState error={cancelOutcome.error} />}
          {cancelOutcome && 'run' in cancelOutcome && (
            <MessageBar intent={cancelOutcome.run.status === 'cancelled' ? 'success' : 'info'}>
              <MessageBarBody>
                {cancelOutcome.run.status === 'cancelled'
                  ? cancelOutcome.run.cancelledBy
                    ? t.runCancel.cancelledBy(cancelOutcome.run.cancelledBy, fmt.dateTime(cancelOutcome.run.finishedAt))
                    : t.runCancel.cancelled(fmt.dateTime(cancelOutcome.run.finishedAt))
                  : t.runCancel.stopping}
              </MessageBarBody>
            </MessageBar>
          )}
          <section aria-label={t.runs.progress.title}>
            <Subtitle2 as="h3" block>{t.runs.progress.title}</Subtitle2>
            {progress ? (
              <RunProgress progress={progress} />
            ) : lastRun ? (
              <>
                <Caption1 as="p" block>
                  {`${t.runCancel.lastRun}: ${t.runCancel.lastRunStatus(t.runs.statuses[lastRun.status], fmt.dateTime(lastRun.finishedAt ?? lastRun.startedAt))}`}
                </Caption1>
                <RunProgress progress={{ ...lastRun.progress, errors: lastRun.failures }} />
              </>
            ) : (
              <Text as="p">{t.runs.progress.idle}</Text>
            )}
          </section>
        </div>
      </Card>
      <Card>
        <CardHeader header={<Subtitle2 as="h2">{t.runs.schedule.title}</Subtitle2>} />
        {schedule.error ? (
          <ErrorState error={schedule.error} onRetry={schedule.reload} />
        ) : schedule.data ? (
          <ScheduleForm initial={schedule.data} onSaved={schedule.reload} />
        ) : (
          <LoadingState rows={1} />
        )}
      </Card>
      <Card>
        <CardHeader header={<Subtitle2 as="h2">{t.runs.history.title}</Subtitle2>} />
        {runs.error ? <ErrorState error={runs.error} onRetry={runs.reload} /> : runs.data ? <RunHistory runs={runs.data.runs} /> : <LoadingState rows={2} />}
      </Card>
    </div>
  );
}
