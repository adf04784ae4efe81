import { useState } from 'react';
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger, Spinner } from '@fluentui/react-components';
import { DismissCircleRegular } from '@fluentui/react-icons';
import type { RunSummary } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';
import { cancelRun } from '../api/runs';

/**
 * "Cancel run", behind a confirmation that says what cancelling keeps (the last finished results,
 * the mailboxes already read) and what it drops (this run's results). Reports the answer: the
 * ended run, or the API's error (e.g. 409 when the run ended meanwhile).
 */
export function CancelRun({ runId, onCancelled, onError }: { runId: string; onCancelled: (run: RunSummary) => void; onError: (error: unknown) => void }) {
  const { t } = useI18n();
  const c = t.runCancel;
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    setBusy(true);
    try {
      onCancelled(await cancelRun(runId));
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
      setOpen(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={(_, d) => !busy && setOpen(d.open)} modalType="alert">
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="secondary" icon={busy ? <Spinner size="tiny" /> : <DismissCircleRegular />} disabled={busy}>
          {busy ? c.cancelling : c.cancel}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{c.confirmTitle}</DialogTitle>
          <DialogContent>{c.confirmBody}</DialogContent>
          <DialogActions fluid>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="secondary" disabled={busy}>
                {c.keep}
              </Button>
            </DialogTrigger>
            <Button appearance="primary" disabled={busy} onClick={() => void confirm()}>
              {busy ? c.cancelling : c.confirm}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
