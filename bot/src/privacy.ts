/**
 * Rows hidden by the privacy threshold (docs/api.md "Privacy threshold"): the API hides the
 * activity of accounts that too few colleagues work with from everyone who is not an admin,
 * and the bot is never an admin. A hidden row keeps its score and band; its activity columns
 * are null, which here means "hidden", never "never". Pure.
 */
import type { AccountRow } from './ports';

export function isHidden(row: Pick<AccountRow, 'privacy'>): boolean {
  return row.privacy?.hidden === true;
}

/** The sentence a hidden row shows where its activity would be. */
export function hiddenActivityNote(row: Pick<AccountRow, 'privacy'>): string {
  const n = row.privacy?.minimumColleagues ?? 2;
  return `Activity details are hidden because fewer than ${n} colleagues work with this account (privacy setting).`;
}
