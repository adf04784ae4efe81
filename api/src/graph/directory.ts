/**
 * The directory side: the tenant's organization, and the resolution of configured addresses
 * into the selected mailboxes S (DESIGN.md §3 "Selected mailboxes").
 */
import type { z } from 'zod';
import type { SelectedMailbox } from '../engagement/types';
import type { MailboxResolution, OrgEntryResolution, TenantOrganization } from '../enrichment/ports';
import type { GraphClient } from './client';
import { AppError } from '../errors';
import { type GraphGet, pages, parsePayload } from './paging';
import { groupSchema, memberSchema, organizationSchema, pageSchema, userSchema } from './schemas';
import { USER_FIELDS, selectParam } from './select';

type User = z.output<typeof userSchema>;
type Group = z.output<typeof groupSchema>;

/** Largest page Graph serves for directory objects. */
const DIRECTORY_PAGE_SIZE = 999;

export class GraphDirectory {
  constructor(
    private readonly client: Pick<GraphClient, 'buildUrl'>,
    private readonly get: GraphGet,
  ) {}

  /**
   * The tenant's verified domains. App-only `/organization` needs Organization.Read.All, which is
   * not in Rapport's least-privilege set (DESIGN.md §5); without it, the domains are read from
   * what User.Read.All allows (see `domainsFromUsers`).
   */
  async organization(): Promise<TenantOrganization> {
    try {
      return await this.organizationRecord();
    } catch (e) {
      if (e instanceof AppError && e.code === 'GRAPH_ACCESS_DENIED') return { id: '', displayName: '', verifiedDomains: await this.domainsFromUsers() };
      throw e;
    }
  }

  /**
   * The domains of the tenant's member users: of their mail and their user principal names.
   * Guests are skipped (their mail is another organisation's). A verified domain that no member
   * uses is missed; the configuration's extra internal domains cover it.
   */
  private async domainsFromUsers(): Promise<string[]> {
    const url = this.client.buildUrl('/users', { $select: 'id,mail,userPrincipalName,userType', $top: DIRECTORY_PAGE_SIZE });
    const domains = new Set<string>();
    for await (const page of pages(this.get, url, userSchema)) {
      for (const user of page) {
        if (user.userType === 'Guest' || user.userPrincipalName?.includes('#EXT#')) continue;
        for (const address of [user.mail, user.userPrincipalName]) {
          const domain = address?.split('@').pop()?.trim().toLowerCase().replace(/\.$/, '');
          if (address?.includes('@') && domain) domains.add(domain);
        }
      }
    }
    return [...domains].sort();
  }

  private async organizationRecord(): Promise<TenantOrganization> {
    const url = this.client.buildUrl('/organization', { $select: 'id,displayName,verifiedDomains' });
    const page = parsePayload(pageSchema(organizationSchema), await this.get(url));
    const org = page.value[0];
    if (!org) {
      throw new AppError('GRAPH_REQUEST_FAILED', 'Microsoft Graph returned no organization for this tenant.', { graphCode: 'NoOrganization', status: 200 });
    }
    return {
      id: org.id,
      displayName: org.displayName ?? '',
      verifiedDomains: (org.verifiedDomains ?? []).map((d) => d.name.trim().toLowerCase().replace(/\.$/, '')),
    };
  }

  /**
   * Resolves each entry (a user's address or a group's address) and builds S: users with mail
   * (disabled ones only when named directly: shared mailboxes), groups expanded transitively into
   * their enabled users, deduplicated and sorted by id. Unknown entries and
   * unusable users are reported in `entries`, never thrown; Graph failures are thrown.
   */
  async resolveMailboxes(entries: string[]): Promise<MailboxResolution> {
    const resolved = await Promise.all(entries.map((input) => this.resolveEntry(input)));
    const byId = new Map<string, SelectedMailbox>();
    for (const { mailboxes } of resolved) for (const m of mailboxes) if (!byId.has(m.id)) byId.set(m.id, m);
    const mailboxes = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { entries: resolved.map((r) => r.entry), mailboxes };
  }

  private async resolveEntry(input: string): Promise<{ entry: OrgEntryResolution; mailboxes: SelectedMailbox[] }> {
    const address = input.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(address)) return { entry: { input, kind: 'unknown' }, mailboxes: [] };

    const user = await this.findUser(address);
    if (user) {
      // Named directly, a disabled user is kept: that is how Exchange Online shows a shared
      // mailbox (sign-in disabled by design). Through a group it is dropped (DESIGN.md §3).
      if (!hasMail(user)) return { entry: { input, kind: 'unusable', id: user.id, reason: 'noMail' }, mailboxes: [] };
      return {
        entry: {
          input,
          kind: 'user',
          id: user.id,
          displayName: user.displayName ?? '',
          mail: user.mail!,
          ...(user.accountEnabled === false ? { signInDisabled: true as const } : {}),
        },
        mailboxes: [toMailbox(user)],
      };
    }

    const group = await this.findGroup(address);
    if (!group) return { entry: { input, kind: 'unknown' }, mailboxes: [] };
    const members = await this.groupMailboxes(group.id);
    return {
      entry: { input, kind: 'group', id: group.id, displayName: group.displayName ?? '', mail: group.mail ?? address, memberCount: members.length },
      mailboxes: members,
    };
  }

  /**
   * By primary SMTP address, else by UPN (which may differ from mail): one request for both, and
   * a mail match wins if they name different users.
   */
  private async findUser(address: string): Promise<User | undefined> {
    const quoted = odataString(address);
    const url = this.client.buildUrl('/users', { $filter: `mail eq ${quoted} or userPrincipalName eq ${quoted}`, $select: selectParam(USER_FIELDS) });
    const users = parsePayload(pageSchema(userSchema), await this.get(url)).value;
    return users.find((u) => u.mail?.toLowerCase() === address) ?? users[0];
  }

  private async findGroup(address: string): Promise<Group | undefined> {
    const url = this.client.buildUrl('/groups', { $filter: `mail eq ${odataString(address)}`, $select: 'id,displayName,mail' });
    return parsePayload(pageSchema(groupSchema), await this.get(url)).value[0];
  }

  /**
   * The group's usable members: enabled users with mail. `transitiveMembers` is flattened by
   * Graph, nested groups and cycles included, so we never walk `/members` ourselves. The
   * `microsoft.graph.user` cast leaves out org contacts, devices, service principals and groups;
   * it is an advanced query, which Graph refuses without `ConsistencyLevel: eventual` and
   * `$count=true` (https://learn.microsoft.com/graph/aad-advanced-queries).
   */
  private async groupMailboxes(groupId: string): Promise<SelectedMailbox[]> {
    const url = this.client.buildUrl(`/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user`, {
      $select: selectParam(USER_FIELDS),
      $count: 'true',
      $top: DIRECTORY_PAGE_SIZE,
    });
    const byId = new Map<string, SelectedMailbox>();
    for await (const page of pages(this.get, url, memberSchema, { ConsistencyLevel: 'eventual' })) {
      for (const member of page) {
        // The cast returns users only; the type check guards a server that ignores it.
        const type = member['@odata.type'];
        if (type && type !== '#microsoft.graph.user') continue;
        // accountEnabled is only known when selected; we always select it, and a missing value is not "disabled".
        if (member.accountEnabled !== false && hasMail(member) && !byId.has(member.id)) byId.set(member.id, toMailbox(member));
      }
    }
    return [...byId.values()];
  }
}

function hasMail(user: User): boolean {
  return !!user.mail && user.mail.includes('@');
}

function toMailbox(user: User): SelectedMailbox {
  const mail = user.mail!;
  const upn = user.userPrincipalName;
  return upn && upn.toLowerCase() !== mail.toLowerCase() ? { id: user.id, mail, otherAddresses: [upn] } : { id: user.id, mail };
}

/** An OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
