/**
 * The admin's path through Rapport in real Chromium (issue 16 "Done when"), at Teams' desktop
 * width (1280 px) and its narrowest (420 px): a malformed upload is refused in words while the
 * previous dataset stays selected, the valid rows are imported and the rejected ones downloaded,
 * the configuration is saved twice in a row, a stale-threshold change moves the dashboard's stale
 * count, a run with one mailbox Exchange refuses shows that failure in words, and a seller's
 * "My accounts" shows only their accounts. Every step's page is audited by axe-core (nothing
 * serious or critical), checked for anything wider than the viewport, and photographed to
 * artifacts/screenshots/admin-<step>-<width>.png.
 *
 * The demo tenant fails one mailbox through DEMO_FAULTS (api/src/config.ts), as a user would.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { loadConfig } from '../../api/src/config';
import { startRapport, type RunningApp } from '../../server/src/main';
import { silentLogger } from '../../api/src/services/logger';
import { CHROMIUM, CHROMIUM_ARGS, apiJson, waitForRunsToEnd, digitsOf } from './support';

const SHOTS = path.resolve(__dirname, '../../artifacts/screenshots');
/** The team's shared mailbox (in the demo's organisation addresses), outside Exchange's access policy. */
const DENIED = 'sales-team@contoso.com';
/** The demo's signed-in user, the first seller: the owner column gives them accounts. */
const DEMO_SELLER = 'demo.admin@contoso.com';

let app: RunningApp;
let browser: Browser;
let dataDir: string;
let axeSource: string;

interface ConfigState {
  version: number;
  config: { contacts: { datasetId: string; mapping: Record<string, string | undefined> }; rules: { staleDays: number } } | null;
}
interface Overview {
  staleCount: number;
  staleDays: number;
  mine: { ownerColumnMapped: boolean; email: string | null; totalAccounts: number };
}
interface RunSummary {
  id: string;
  status: string;
  failures?: { mailbox: string; code: string }[];
}

const api = <T>(p: string, init?: RequestInit): Promise<T> => apiJson<T>(app.url, p, init);

const waitForRuns = (): Promise<void> => waitForRunsToEnd(app.url);

/** A control by its accessible name, whether the tab draws it as a button or as a download link. */
const control = (page: Page, name: string | RegExp): Locator => page.getByRole('button', { name }).or(page.getByRole('link', { name }));

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** axe-core's serious and critical findings (Tabster's aria-hidden focus sentinels are by design). */
async function seriousViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run({ exclude: [['[data-tabster-dummy]']] }, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Anything drawn past the viewport's right edge, outside a region that clips or scrolls sideways. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type El = { tagName: string; parentElement: El | null; getBoundingClientRect(): { right: number; width: number; height: number }; textContent: string | null };
    const g = globalThis as unknown as {
      document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelectorAll(s: string): El[] };
      getComputedStyle(e: El): { overflowX: string; display: string; visibility: string };
    };
    const width = g.document.documentElement.clientWidth;
    const problems: string[] = [];
    if (g.document.documentElement.scrollWidth > width + 1) problems.push(`the page scrolls sideways: ${g.document.documentElement.scrollWidth} px in ${width} px`);
    const clipped = (el: El): boolean => {
      for (let p = el.parentElement; p; p = p.parentElement) if (p.tagName !== 'HTML' && p.tagName !== 'BODY' && g.getComputedStyle(p).overflowX !== 'visible') return true;
      return false;
    };
    for (const el of g.document.querySelectorAll('body *')) {
      const rect = el.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1 || rect.right <= width + 1) continue;
      const style = g.getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none' || clipped(el)) continue;
      problems.push(`${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}" ends at ${Math.round(rect.right)} px (viewport ${width} px)`);
    }
    return problems.slice(0, 8);
  });
}

/** Audits and photographs the page as it is now: one call per step of the flow. */
async function audit(page: Page, step: string, width: number): Promise<void> {
  await page
    .waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('main .fui-Skeleton, main .fui-Spinner').length === 0, undefined, {
      timeout: 10_000,
    })
    .catch(() => undefined); // A page that keeps a spinner is still audited as it is.
  await page.screenshot({ path: path.join(SHOTS, `admin-${step}-${width}.png`), fullPage: true });
  expect({ step, axe: await seriousViolations(page), overflow: await overflowing(page) }).toEqual({ step, axe: [], overflow: [] });
}

/** Opens a hash in the tab, as a link inside the app would. */
async function open(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    (globalThis as unknown as { location: { hash: string } }).location.hash = h;
  }, hash);
  await page.locator('main').first().waitFor();
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-admin-'));
  app = await startRapport(loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_FAULTS: `mailbox-access-denied:${DENIED}` }), silentLogger);
  await waitForRuns();
  axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  await mkdir(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe.each([1280, 420])('the admin flow at %i px', (width) => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // axe is injected as a script, which the app's CSP rightly forbids: this context bypasses it.
    context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true, reducedMotion: 'reduce', acceptDownloads: true });
    page = await context.newPage();
    await page.goto(`${app.url}/?lang=en-US#/`);
    await page.locator('main').first().waitFor();
  });

  afterAll(async () => {
    await context?.close();
  });

  it('when a file with malformed rows is uploaded, then the tab names each row and what to fix, keeps the previous dataset, blocks Next, imports the valid rows on request and saves twice in a row', async () => {
    const before = await api<ConfigState>('/api/config');
    const previous = await api<{ fileName: string; rows: number }>(`/api/datasets/${before.config!.contacts.datasetId}`);
    // The demo's own contacts, with two rows an admin might really send: a name with an unquoted
    // comma (one value too many) and a row cut short. Header is row 1, so these are rows 4 and 9.
    const lines = app.demo!.contactsCsv.trim().split('\r\n');
    lines.splice(3, 0, 'jo@fabrikam.com,ACC-X,Fabrikam, Inc.,demo.admin@contoso.com');
    lines.splice(8, 0, 'kim@fabrikam.com,ACC-Y');
    const valid = lines.length - 3;
    const fileName = `contacts-${width}.csv`;

    await open(page, '#/settings/configuration/datasets');
    const input = page.getByLabel('Contacts file (CSV)');
    await page.getByText(`${previous.fileName}: ${previous.rows.toLocaleString('en-US')} rows`).first().waitFor();
    await input.setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n') });

    const refusal = page.getByRole('alert').filter({ hasText: `${fileName} was not imported` });
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toContain('Row 4 has 5 values but the header has 4 columns.');
    await page.getByText('Row 9 has 2 values but the header has 4 columns.').waitFor();
    await page.getByText(`Still selected: ${previous.fileName} (${previous.rows.toLocaleString('en-US')} rows).`).waitFor();
    const next = page.getByRole('button', { name: 'Next' });
    expect(await next.getAttribute('aria-disabled')).toBe('true');
    await next.click({ force: true });
    await expect(page.getByText('Step 1 of 2').count()).resolves.toBe(1);
    // Nothing was written: the configuration still uses the previous dataset.
    expect((await api<ConfigState>('/api/config')).config!.contacts.datasetId).toBe(before.config!.contacts.datasetId);
    await audit(page, 'upload-refused', width);

    await page.getByRole('button', { name: `Import the ${valid.toLocaleString('en-US')} valid rows` }).click();
    await page.getByText(`${valid.toLocaleString('en-US')} rows imported; 2 rows set aside.`).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), control(page, 'Download rejected rows (CSV)').click()]);
    const rejected = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(rejected[0]).toMatch(/(^|,)"?Reason"?(,|$)/i);
    expect(rejected).toHaveLength(3);
    expect(rejected[1]).toContain('jo@fabrikam.com');
    expect(rejected[2]).toContain('kim@fabrikam.com');
    expect(await next.getAttribute('aria-disabled')).not.toBe('true');
    await next.click();

    // The owner column is recognised, so "My accounts" survives a new upload.
    await expect(page.getByRole('combobox', { name: /^Owner column/ }).first().inputValue()).resolves.toBe('owner');
    await page.getByRole('button', { name: 'Check mapping' }).click();
    await page.getByText('Validation report').first().waitFor();
    await audit(page, 'mapping', width);

    const save = page.getByRole('button', { name: 'Save as a new version' });
    await save.click();
    await page.getByText(`Saved as version ${before.version + 1}.`).waitFor();
    await save.click();
    await page.getByText(`Saved as version ${before.version + 2}.`).waitFor();
    await expect(page.getByText(/Someone else saved/).count()).resolves.toBe(0);
    const after = await api<ConfigState>('/api/config');
    expect(after.version).toBe(before.version + 2);
    expect(after.config!.contacts.mapping.owner).toBe('owner');
    const imported = await api<{ fileName: string; rows: number }>(`/api/datasets/${after.config!.contacts.datasetId}`);
    expect(imported).toMatchObject({ fileName, rows: valid });
    await audit(page, 'saved-twice', width);
  });

  it('when the stale threshold is changed in settings, then the dashboard’s stale count changes with it and equals the API’s', async () => {
    const before = await api<Overview>('/api/results/overview');
    // Shorter at one width, longer at the other: each changes the count from the one before.
    const days = width === 1280 ? 30 : 120;
    expect(before.staleDays).not.toBe(days);

    await open(page, '#/settings');
    const field = page.getByRole('spinbutton', { name: /Days without contact/ }).or(page.getByRole('textbox', { name: /Days without contact/ }));
    await field.fill(String(days));
    await page.getByText(`more than ${days} days.`).first().waitFor();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText(/^Saved as version \d+\. The stale rule applies now/).waitFor();
    await audit(page, 'settings-saved', width);

    const after = await api<Overview>('/api/results/overview');
    expect(after.staleDays).toBe(days);
    expect(after.staleCount).not.toBe(before.staleCount);
    await open(page, '#/');
    await page.getByRole('radio', { name: 'All accounts' }).check();
    const stale = page.getByRole('link', { name: /^[\d,]+ stale accounts?$/ });
    await page.getByText(`No email and no meeting for more than ${days} days.`).waitFor();
    await expect(stale.textContent().then(digitsOf)).resolves.toBe(after.staleCount);
    await audit(page, 'dashboard-stale', width);
  });

  it('when a run meets a mailbox Exchange refuses, then the run panel says so in words with what to do, and the run is partial', async () => {
    const before = (await api<{ runs: RunSummary[] }>('/api/runs')).runs.length;
    await open(page, '#/setup');
    const history = page.getByRole('table', { name: 'Run history' });
    await history.getByRole('row').nth(before).waitFor();
    await page.getByRole('button', { name: 'Run now' }).click();
    // The panel showed the previous run's outcome (with the same failure) before: only once the
    // history lists the new run as finished is what the panel shows this run's.
    const newest = history.getByRole('row').nth(1);
    await history.getByRole('row').nth(before + 1).waitFor();
    await newest.getByText('Partial').waitFor({ timeout: 60_000 });
    await expect(newest.textContent()).resolves.toContain('Access denied by Exchange (1 mailbox)');
    await page.getByText(/Phase: Done/).waitFor();
    await expect(page.getByRole('button', { name: 'Run now' }).isEnabled()).resolves.toBe(true);
    const failures = page.getByRole('region', { name: 'Mailboxes that could not be read' }).first();
    await failures.waitFor();
    await failures.getByText(/Access denied by Exchange \(1 mailbox\)/).waitFor();
    await failures.getByText(DENIED).first().waitFor();
    await expect(failures.textContent()).resolves.toMatch(/Ask the Exchange admin to add these mailboxes/);
    await audit(page, 'run-failure', width);

    await waitForRuns();
    const { runs } = await api<{ runs: RunSummary[] }>('/api/runs');
    expect(runs.length).toBe(before + 1);
    const run = await api<RunSummary>(`/api/runs/${runs[0]!.id}`);
    expect(run.status).toBe('partial');
    expect(run.failures?.map((f) => [f.mailbox.toLowerCase(), f.code])).toContainEqual([DENIED, 'ErrorAccessDenied']);
  });

  it('when a seller switches to My accounts, then only the accounts they own are shown, as many as the API counts', async () => {
    const overview = await api<Overview>('/api/results/overview');
    expect(overview.mine).toMatchObject({ ownerColumnMapped: true, email: DEMO_SELLER });
    expect(overview.mine.totalAccounts).toBeGreaterThan(0);
    const owned = await api<{ total: number; rows: { AccountId: string }[] }>(`/api/results/office?level=year&owner=me&pageSize=500`);
    expect(owned.total).toBe(overview.mine.totalAccounts);

    await open(page, '#/');
    await page.getByRole('radio', { name: 'My accounts' }).check();
    const title = page.getByRole('heading', { name: /^Your [\d,]+ accounts?$/ });
    await title.waitFor();
    expect(digitsOf(await title.textContent())).toBe(overview.mine.totalAccounts);
    const top = page.getByRole('table', { name: 'Top accounts' });
    const links = top.getByRole('link');
    await links.first().waitFor();
    const shown = await links.evaluateAll((as) => as.map((a) => decodeURIComponent((a.getAttribute('href') ?? '').split('#/accounts/')[1] ?? '')));
    const ownedIds = new Set(owned.rows.map((r) => r.AccountId));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((id) => !ownedIds.has(id))).toEqual([]);
    await audit(page, 'my-accounts', width);

    await page.getByRole('radio', { name: 'All accounts' }).check();
    await page.getByRole('heading', { name: 'Top accounts' }).waitFor();
  });
});
