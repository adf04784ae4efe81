/** `status`, `subscribe`, `unsubscribe` and `run`. */
import { isoDay } from '../cards/card-kit';
import { conversationKey } from '../conversation';
import type { RunInfo, RunRefusal } from '../ports';
import type { CommandDefinition } from './command';

function describeRun(run: RunInfo): string {
  switch (run.status) {
    case 'running':
      return `A run started ${run.startedAt} and is still running.`;
    case 'succeeded':
    case 'partial':
    case 'failed':
      return (
        `The last run ${run.status === 'failed' ? 'failed' : run.status === 'partial' ? 'finished with some mailboxes failing' : 'succeeded'}` +
        ` on ${run.finishedAt ?? run.startedAt}: ${run.accountsEnriched} customers enriched, ${run.emailsProcessed} emails and ${run.meetingsProcessed} meetings processed.`
      );
  }
}

function refusalText(reason: RunRefusal): string {
  switch (reason) {
    case 'runInProgress':
      return 'A run is already in progress; `status` shows how it is going.';
    case 'consentRequired':
      return 'The tenant administrator has not granted consent yet, so no run can start. Finish consent in the Rapport tab.';
    case 'notConfigured':
      return 'Rapport is not configured yet: finish the setup wizard in the Rapport tab first.';
  }
}

export const statusCommand: CommandDefinition = {
  name: 'status',
  usage: 'status',
  help: 'The last enrichment run and when the next one is scheduled.',
  async run({ deps }) {
    const [run, next] = await Promise.all([deps.engagement.lastRun(), deps.engagement.nextRunAt()]);
    const lines = [run ? describeRun(run) : 'No enrichment run has happened yet.', next ? `The next run is scheduled for ${next.toISOString()}.` : 'No run is scheduled.'];
    return { text: lines.join('\n\n') };
  },
};

export const subscribeCommand: CommandDefinition = {
  name: 'subscribe',
  usage: 'subscribe',
  help: 'Post stale-account alerts in this channel.',
  async run({ turn, deps }) {
    if (turn.scope !== 'channel' || !turn.channelConversationId) return { text: 'Stale-account alerts go to team channels: run `subscribe` in the channel that should get them.' };
    const reference = { ...turn.reference, conversation: { ...turn.reference.conversation, id: turn.channelConversationId } };
    const added = await deps.installations.subscribe(reference, turn.teamId);
    return { text: added ? 'Done: this channel now gets an alert when an account goes stale.' : 'This channel already gets stale-account alerts.' };
  },
};

export const unsubscribeCommand: CommandDefinition = {
  name: 'unsubscribe',
  usage: 'unsubscribe',
  help: 'Stop stale-account alerts in this channel.',
  async run({ turn, deps }) {
    if (turn.scope !== 'channel' || !turn.channelConversationId) return { text: 'Only team channels get stale-account alerts, so there is nothing to unsubscribe here.' };
    const key = conversationKey({ conversation: { ...turn.reference.conversation, id: turn.channelConversationId } });
    const removed = await deps.installations.unsubscribe(key);
    return { text: removed ? 'Done: this channel no longer gets stale-account alerts.' : 'This channel was not subscribed to stale-account alerts.' };
  },
};

export const runCommand: CommandDefinition = {
  name: 'run',
  usage: 'run',
  help: 'Start an enrichment run now (Rapport admins only).',
  async run({ turn, deps }) {
    const user = turn.fromAadObjectId;
    if (!user || !(await deps.engagement.isAdmin(user))) {
      return { text: 'Sorry, only Rapport admins can start a run. The next scheduled run will refresh the results; `status` shows when.' };
    }
    const result = await deps.engagement.startRun(user);
    if (!result.started) return { text: refusalText(result.reason) };
    return { text: `Run ${result.run.id} has started (${isoDay(result.run.startedAt)}). \`status\` shows how it is going.` };
  },
};
