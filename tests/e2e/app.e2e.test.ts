/**
 * A person's path through Rapport in demo mode: the dashboard shows the API's numbers, a customer
 * card opens, a run is started and followed to 100%, the Office table exports CSV. Screenshots in light, dark and high contrast, in English and Indonesian, are saved under
 * artifacts/screenshots/.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../api/src/config';
import { startRapport, type RunningApp } from '../../server/src/main';
import { silentLogger } from '../../api/src/services/logger';
import { CHROMIUM, CHROMIUM_ARGS, apiJson, waitForRunsToEnd, digitsOf } from './support';

const SHOTS = path.resolve(__dirname, '../../artifacts/screenshots');

let app: RunningApp;
let browser: Browser;
let page: Page;
let dataDir: string;

const api = <T>(p: string, init?: RequestInit): Promise<T> => apiJson<T>(app.url, p, init);

const waitForFirstRun = (): Promise<void> => waitForRunsToEnd(app.url);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-e2e-'));
  app = await startRapport(loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), silentLogger);
  await waitForFirstRun();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await mkdir(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('Rapport in a browser, demo mode', () => {
  it('when the dashboard opens, then the KPI cards show the same numbers as the API', async () => {
    const overview = await api<{ accountsEnriched: number; emailsProcessed: number; meetingsProcessed: number; daysCovered: number }>('/api/results/overview');
    expect(overview.accountsEnriched).toBeGreaterThan(0);
    await page.goto(`${app.url}/?lang=en-US#/`);
    // The dashboard opens on "My accounts" (the demo user owns some); these figures are everyone's.
    await page.getByRole('radio', { name: 'All accounts' }).check();
    const kpis = page.getByRole('list', { name: /key figures|kpi/i });
    await kpis.waitFor();
    // Each card reads "<label><value>[note]"; the value is the first number after the label.
    const value = async (label: string) => {
      const text = (await kpis.getByRole('listitem').filter({ hasText: label }).textContent()) ?? '';
      return digitsOf(/[\d,]+/.exec(text.slice(text.indexOf(label) + label.length))?.[0] ?? '');
    };
    expect(await value('Customers enriched')).toBe(overview.accountsEnriched);
    expect(await value('Emails processed')).toBe(overview.emailsProcessed);
    expect(await value('Meetings processed')).toBe(overview.meetingsProcessed);
    expect(await value('Days covered')).toBe(overview.daysCovered);
  });

  it('when a top account is opened, then its customer card shows the API score', async () => {
    await page.goto(`${app.url}/?lang=en-US#/`);
    const first = page.getByRole('table', { name: 'Top accounts' }).getByRole('link').first();
    await first.click();
    await page.waitForURL(/#\/accounts\//);
    const accountId = decodeURIComponent(page.url().split('#/accounts/')[1]!);
    const card = await api<{ year: { EngagementScore: number; AccountName: string | null } }>(`/api/accounts/${encodeURIComponent(accountId)}`);
    await page.getByText(card.year.AccountName ?? accountId).first().waitFor();
    // Waited for: the name can show (the page title, a heading) a moment before the score does.
    await page.getByText(String(card.year.EngagementScore), { exact: true }).filter({ visible: true }).first().waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(SHOTS, 'customer-card-light-en-US.png') });
  });

  it('when Run now is pressed, then the progress pane reaches 100% and the run is in the history', async () => {
    const before = (await api<{ runs: unknown[] }>('/api/runs')).runs.length;
    await page.goto(`${app.url}/?lang=en-US#/setup`);
    const history = page.getByRole('table', { name: 'Run history' });
    await history.getByRole('row').nth(before).waitFor();
    await page.getByRole('button', { name: 'Run now' }).click();
    // The panel shows the previous run's outcome ("Done") until the new run is followed: the
    // history listing the new run as finished is what says the panel shows this one.
    await history.getByRole('row').nth(before + 1).waitFor();
    await history.getByRole('row').nth(1).getByText(/^(Succeeded|Partial)$/).waitFor({ timeout: 90_000 });
    await page.getByRole('progressbar').first().waitFor();
    await page.getByText(/Phase: Done/).waitFor();
    const bar = page.getByRole('progressbar').first();
    expect(Number(await bar.getAttribute('aria-valuenow')) / Number(await bar.getAttribute('aria-valuemax'))).toBe(1);
    await page.getByText('100%').first().waitFor();
    const runs = (await api<{ runs: { status: string }[] }>('/api/runs')).runs;
    expect(runs.length).toBe(before + 1);
    expect(runs[0]!.status).toMatch(/succeeded|partial/);
  });

  it('when the Office table exports CSV, then the file has a header and one line per row of the API', async () => {
    await page.goto(`${app.url}/?lang=en-US#/office`);
    const link = page.getByRole('link', { name: 'Export CSV' });
    await link.waitFor();
    const href = await link.getAttribute('href');
    expect(href).toContain('/api/results/office.csv');
    const csv = await (await fetch(new URL(href!, app.url))).text();
    const { total } = await api<{ total: number }>(`/api/results/office?level=year&pageSize=1`);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^AccountId,EngagementScore,/);
    expect(lines.length - 1).toBe(total);
  });

  it('when an admin goes through the setup wizard, then the new configuration is saved with the uploaded dataset', async () => {
    const before = await api<{ version: number }>('/api/config');
    const csv = app.demo!.contactsCsv.split('\r\n').slice(0, 301).join('\r\n') + '\r\n';
    await page.goto(`${app.url}/?lang=en-US#/setup`);
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('textbox', { name: 'Addresses and groups' }).fill('ussales@contoso.com, eusales@contoso.com');
    const resolved = await api<{ mailboxCount: number }>('/api/config/org/resolve', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entries: ['ussales@contoso.com', 'eusales@contoso.com'] }),
    });
    await page.getByText(`${resolved.mailboxCount} mailboxes selected`).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('checkbox', { name: 'I agree' }).check();
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel('Contacts file (CSV)').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText('contacts.csv: 300 rows').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('combobox', { name: 'Contact email column' }).selectOption('email');
    await page.getByRole('combobox', { name: 'Account ID column' }).selectOption('account_id');
    await page.getByRole('combobox', { name: 'Account name column (optional)' }).selectOption('account_name');
    await page.getByRole('button', { name: 'Check mapping' }).click();
    await page.getByText('Validation report').first().waitFor();
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('textbox', { name: 'Enrichment name' }).fill('E2E enrichment');
    await page.getByRole('button', { name: 'Save enrichment' }).click();
    const saved = page.getByText(/^Saved as version \d+\./);
    await saved.waitFor();
    const after = await api<{ version: number; config: { name: string; orgEntries: string[] } }>('/api/config');
    expect(after.version).toBe(before.version + 1);
    await expect(saved.textContent()).resolves.toContain(`Saved as version ${after.version}.`);
    expect(after.config).toMatchObject({ name: 'E2E enrichment', orgEntries: ['ussales@contoso.com', 'eusales@contoso.com'] });
    await page.screenshot({ path: path.join(SHOTS, 'setup-saved-light-en-US.png'), fullPage: true });
  });

  it('when consent is withdrawn and the admin opens the consent flow, then the consent page opens in a new window and accepting it restores consent', async () => {
    // The tenant administrator withdraws consent; the API learns it on its next check.
    app.demo!.simulator.consent.revoke();
    const withdrawn = await api<{ status: string; missingPermissions: string[] }>('/api/consent/check', { method: 'POST' });
    expect(withdrawn.missingPermissions).toHaveLength(4);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const admin = await context.newPage();
    await admin.goto(`${app.url}/?lang=en-US#/setup`);
    const [popup] = await Promise.all([admin.waitForEvent('popup'), admin.getByRole('button', { name: 'Open admin consent' }).click()]);
    await popup.waitForLoadState();
    // The simulator plays Microsoft Entra's admin consent page, on its own origin.
    expect(new URL(popup.url()).pathname).toMatch(/\/adminconsent$/);
    await popup.getByRole('button', { name: 'Accept' }).click();
    await popup.waitForURL(/\/api\/consent\/callback\?admin_consent=True/);
    await popup.waitForEvent('close', { timeout: 10_000 });
    await admin.getByText('GroupMember.Read.All').first().waitFor();
    await expect(admin.getByRole('button', { name: 'Open admin consent' }).count()).resolves.toBe(0);
    await context.close();
    const consent = await api<{ status: string; missingPermissions: string[] }>('/api/consent');
    expect(consent).toMatchObject({ status: 'granted', missingPermissions: [] });
  });

  it('when a segment rule is built, then the live preview counts the members the API selects', async () => {
    // Hot accounts the customer writes to: a score of at least 70 and at least one email from them.
    const rule = {
      kind: 'group',
      op: 'and',
      children: [
        { kind: 'condition', column: 'EngagementScore', operator: '>=', value: 70 },
        { kind: 'condition', column: 'NoOfEmails_FromAccount', operator: '>=', value: 1 },
      ],
    };
    const expected = await api<{ total: number }>('/api/segments/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rule }),
    });
    const all = await api<{ total: number }>('/api/results/office?level=year&pageSize=1');
    // A rule that selects every account or none could not show that the preview follows the builder.
    expect(expected.total).toBeGreaterThan(0);
    expect(expected.total).toBeLessThan(all.total);
    await page.goto(`${app.url}/?lang=en-US#/segments`);
    await page.getByRole('textbox', { name: 'Segment name' }).fill('Hot accounts');
    // The builder starts from the configured stale rule (its nested groups and "no meeting
    // planned"): as a user would, remove the groups, then rework what is left into the new rule.
    const builder = page.getByRole('group', { name: 'Rule' });
    const removeGroup = builder.getByRole('button', { name: 'Remove group' });
    while ((await removeGroup.count()) > 0) {
      const before = await removeGroup.count();
      await removeGroup.first().click();
      await removeGroup.nth(before - 1).waitFor({ state: 'detached' });
    }
    const removeCondition = builder.getByRole('button', { name: 'Remove condition' });
    while ((await removeCondition.count()) > 1) {
      const before = await removeCondition.count();
      await removeCondition.last().click();
      await removeCondition.nth(before - 1).waitFor({ state: 'detached' });
    }
    await builder.getByRole('combobox', { name: 'Match' }).first().selectOption('and');
    const columns = builder.getByRole('combobox', { name: 'Column' });
    const operators = builder.getByRole('combobox', { name: 'Operator' });
    const values = builder.getByRole('spinbutton', { name: 'Value' });
    await columns.first().selectOption('EngagementScore');
    await operators.first().selectOption('>=');
    await values.first().fill('70');
    await builder.getByRole('button', { name: 'Add condition' }).click();
    await columns.nth(1).selectOption('NoOfEmails_FromAccount');
    await operators.nth(1).selectOption('>=');
    await values.nth(1).fill('1');
    await expect(columns.count()).resolves.toBe(2);
    try {
      await page.getByText(`${expected.total.toLocaleString('en-US')} matching accounts`).first().waitFor({ timeout: 10_000 });
    } finally {
      await page.screenshot({ path: path.join(SHOTS, 'segment-builder-light-en-US.png'), fullPage: true });
    }
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByText('Segment “Hot accounts” saved.').waitFor();
    const { segments } = await api<{ segments: { name: string; memberCount: number }[] }>('/api/segments');
    expect(segments.find((s) => s.name === 'Hot accounts')?.memberCount).toBe(expected.total);
  });

  it('when the keyboard alone is used, then the navigation, the level switch, sorting and CSV export are reachable', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const fresh = await context.newPage();
    await fresh.goto(`${app.url}/?lang=en-US#/office`);
    await fresh.getByRole('link', { name: 'Export CSV' }).waitFor();
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await fresh.keyboard.press('Tab');
      reached.add(
        await fresh.evaluate(() => {
          // Runs in the page; typed loosely because this project's type check has no DOM lib.
          const el = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null; innerText?: string } | null } }).document
            .activeElement;
          return (el?.getAttribute('aria-label') || el?.innerText || el?.getAttribute('name') || '').trim().split('\n')[0]!;
        }),
      );
    }
    await context.close();
    for (const name of ['Skip to content', 'Dashboard', 'Segments', 'Export CSV']) expect(reached).toContain(name);
    expect([...reached].some((n) => /^Year$|Level|Aggregation/i.test(n))).toBe(true);
    expect([...reached].some((n) => /Engagement score/i.test(n))).toBe(true);
  });

  it.each([
    ['default', '#/'],
    ['default', '#/office'],
    ['default', '#/segments'],
    ['default', '#/setup'],
    ['default', '#/users'],
    ['dark', '#/'],
    ['contrast', '#/'],
    ['contrast', '#/setup'],
  ])('when axe audits the %s theme page %s, then it finds no accessibility violations', async (theme, hash) => {
    // axe is injected as a script, which the app's CSP rightly forbids: this context bypasses it.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const audited = await context.newPage();
    await audited.goto(`${app.url}/?theme=${theme}&lang=en-US${hash}`);
    await audited.getByRole('main').waitFor();
    await audited.waitForTimeout(1500);
    await audited.addScriptTag({ content: await readFile(require.resolve('axe-core/axe.min.js'), 'utf8') });
    // Fluent's focus management (Tabster) adds aria-hidden focus sentinels on purpose: they only
    // redirect focus to the real controls. Everything else is audited.
    const violations = await audited.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(
        { exclude: [['[data-tabster-dummy]']] },
        { resultTypes: ['violations'] },
      );
      return result.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    await context.close();
    expect(violations).toEqual([]);
  });

  it.each([
    ['light', 'default', 'en-US'],
    ['dark', 'dark', 'en-US'],
    ['contrast', 'contrast', 'en-US'],
    ['light', 'default', 'id-ID'],
    ['dark', 'dark', 'id-ID'],
    ['contrast', 'contrast', 'id-ID'],
  ])('when the dashboard is shown in %s theme and %s, then a screenshot is saved', async (name, theme, lang) => {
    await page.goto(`${app.url}/?theme=${theme}&lang=${lang}#/`);
    await page.getByRole('list', { name: /.+/ }).first().waitFor();
    await page.waitForTimeout(500);
    const file = path.join(SHOTS, `dashboard-${name}-${lang}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const root = page.locator('[data-theme]').first();
    expect(await root.getAttribute('lang')).toBe(lang);
    expect(await root.getAttribute('data-theme')).toBe(theme);
  });
});
