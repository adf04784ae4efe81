import { useCallback, useState } from 'react';
import { MessageBar, MessageBarBody, Radio, RadioGroup, makeStyles, tokens } from '@fluentui/react-components';
import type { MyAccounts } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';

export type AccountsScope = 'mine' | 'all';
/** Why "My accounts" was asked for but all accounts are shown. */
export type ScopeFallback = 'noOwnerColumn' | 'noEmail' | 'noneOwned';

const STORAGE_KEY = 'rapport.dashboard.scope';

/** The remembered choice; "My accounts" until the user picks otherwise (sellers act on their own). */
export function readScopePreference(storage: Pick<Storage, 'getItem'> | null): AccountsScope {
  try {
    return storage?.getItem(STORAGE_KEY) === 'all' ? 'all' : 'mine';
  } catch {
    return 'mine'; // Storage can throw in a locked-down iframe: the default is fine.
  }
}

function browserStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

export function useScopePreference(): [AccountsScope, (scope: AccountsScope) => void] {
  const [scope, setScope] = useState<AccountsScope>(() => readScopePreference(browserStorage()));
  const choose = useCallback((next: AccountsScope) => {
    setScope(next);
    try {
      browserStorage()?.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered across visits; the choice still applies now.
    }
  }, []);
  return [scope, choose];
}

/**
 * What the dashboard shows for the preference: the caller's accounts only when the dataset maps
 * owners, the sign-in has an address, and that address owns at least one account; otherwise all
 * accounts, with the reason to tell the user.
 */
export function effectiveScope(preference: AccountsScope, mine: MyAccounts | undefined): { scope: AccountsScope; fallback: ScopeFallback | null } {
  if (!mine || !mine.ownerColumnMapped) return { scope: 'all', fallback: 'noOwnerColumn' };
  if (preference === 'all') return { scope: 'all', fallback: null };
  if (!mine.email) return { scope: 'all', fallback: 'noEmail' };
  if (mine.totalAccounts === 0) return { scope: 'all', fallback: 'noneOwned' };
  return { scope: 'mine', fallback: null };
}

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  group: { flexWrap: 'wrap' },
});

/** The "My accounts / All accounts" switch, and why all accounts are shown when they are. */
export function AccountsScopeSwitch({ preference, onChange, mine, fallback }: { preference: AccountsScope; onChange: (scope: AccountsScope) => void; mine: MyAccounts | undefined; fallback: ScopeFallback | null }) {
  const styles = useStyles();
  const { t } = useI18n();
  const note =
    fallback === 'noOwnerColumn' ? t.insights.noOwnerColumn : fallback === 'noEmail' ? t.insights.noEmail : fallback === 'noneOwned' ? t.insights.noneOwned(mine?.email ?? '') : null;
  return (
    <div className={styles.root}>
      {mine?.ownerColumnMapped && (
        <RadioGroup
          className={styles.group}
          layout="horizontal"
          aria-label={t.insights.scopeLabel}
          value={preference}
          onChange={(_, data) => onChange(data.value === 'all' ? 'all' : 'mine')}
        >
          <Radio value="mine" label={t.insights.mine} />
          <Radio value="all" label={t.insights.all} />
        </RadioGroup>
      )}
      {note && (
        <MessageBar intent="info">
          <MessageBarBody>{note}</MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}
