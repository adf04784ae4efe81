import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { LockClosedRegular } from '@fluentui/react-icons';
import { isHiddenRow, type OfficeRow } from '../lib/api-types';

/**
 * The threshold behind the hidden rows among `rows` (docs/api.md "Privacy threshold"), or null
 * when none is hidden. Rows of one answer share one threshold.
 */
export function hiddenThreshold(rows: readonly Pick<OfficeRow, 'privacy'>[]): number | null {
  return rows.find(isHiddenRow)?.privacy?.minimumColleagues ?? null;
}

/** The sentence saying why activity is hidden, where the activity would be. */
export function PrivacyNote({ text }: { text: string }) {
  return (
    <MessageBar intent="info" icon={<LockClosedRegular />}>
      <MessageBarBody>{text}</MessageBarBody>
    </MessageBar>
  );
}
