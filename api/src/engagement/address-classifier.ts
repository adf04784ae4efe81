/**
 * Everything the reducers need to know about one address, computed once per run and memoised:
 * the reducers see each address on many message copies.
 */
import type { AccountDirectory } from './account-directory';
import { isExcluded, isInternal, normaliseAddress } from './addresses';
import { hashId } from './hashing';
import type { RunContext } from './types';

export interface AddressInfo {
  address: string;
  internal: boolean;
  /** Never counted on either side (exclusion list or automated local part). */
  excluded: boolean;
  /** The account an external, non-excluded address resolves to. */
  accountId: string | null;
  /** The salted hash of the address; set only for account addresses, interned (one string per address). */
  hash: string | null;
  /** The S member the address identifies (primary or other address), if any. */
  memberId: string | null;
}

export type AddressClassifier = (raw: string | null | undefined) => AddressInfo | null;

const MEMO_LIMIT = 1_000_000;
const cache = new WeakMap<RunContext, WeakMap<AccountDirectory, AddressClassifier>>();

/** The run's classifier: one per (context, directory), shared by all mailbox reducers. */
export function addressClassifierFor(ctx: RunContext, directory: AccountDirectory): AddressClassifier {
  let byDirectory = cache.get(ctx);
  if (!byDirectory) cache.set(ctx, (byDirectory = new WeakMap()));
  let classifier = byDirectory.get(directory);
  if (!classifier) byDirectory.set(directory, (classifier = createAddressClassifier(ctx, directory)));
  return classifier;
}

export function createAddressClassifier(ctx: RunContext, directory: AccountDirectory): AddressClassifier {
  const salt = ctx.hashSalt ?? '';
  const members = new Map<string, string>();
  for (const mailbox of ctx.mailboxes) {
    for (const raw of [mailbox.mail, ...(mailbox.otherAddresses ?? [])]) {
      const parsed = normaliseAddress(raw);
      if (parsed !== null && !members.has(parsed.address)) members.set(parsed.address, mailbox.id);
    }
  }
  const memo = new Map<string, AddressInfo | null>();
  const byNormalised = new Map<string, AddressInfo>();

  const classify = (raw: string): AddressInfo | null => {
    const parsed = normaliseAddress(raw);
    if (parsed === null) return null;
    const known = byNormalised.get(parsed.address);
    if (known) return known;
    const internal = isInternal(parsed.domain, ctx.verifiedDomains, ctx.rules.extraInternalDomains);
    const excluded = isExcluded(parsed.address, ctx.rules.exclusions);
    const accountId = internal || excluded ? null : directory.resolve(parsed.address);
    const info: AddressInfo = {
      address: parsed.address,
      internal,
      excluded,
      accountId,
      hash: accountId === null ? null : hashId(salt, 'addr', parsed.address),
      memberId: excluded ? null : (members.get(parsed.address) ?? null),
    };
    byNormalised.set(parsed.address, info);
    return info;
  };

  return (raw) => {
    if (typeof raw !== 'string') return null;
    let info = memo.get(raw);
    if (info === undefined) {
      // Bounded: distinct raw spellings of a tenant-year fit easily; hostile input must not.
      if (memo.size >= MEMO_LIMIT) memo.clear();
      info = classify(raw);
      memo.set(raw, info);
    }
    return info;
  };
}
