/**
 * The bot in Microsoft 365 Agents Playground (`@microsoft/m365agentsplayground`), a Teams client
 * we did not write, driven in Chromium against the app in demo mode (no BOT_ID: no token check,
 * which is the playground's anonymous mode). It covers issue 13's "Done when": `help`, `score`
 * by an exact name that a suffix-stripping match would tie, the candidate buttons (a card
 * action, `rapport.account.score`), the message extension's search and insert, a link unfurl,
 * and an id-ID `bantuan`. Screenshots go to artifacts/screenshots/bot-*.png.
 *
 * Nothing leaves the machine: the playground is preloaded with loopback-only.cjs (it has no
 * option for its bind address; see that file), started with --disable-telemetry and
 * TEAMSAPPTESTER_BROWSER=none, and the browser aborts every request that is not to 127.0.0.1
 * (the playground's page asks a CDN for Segoe UI).
 *
 * What the playground cannot do and how it is covered:
 * - Its manifest is not read ("App manifest is not being processed"), so the search command's
 *   id and parameter are typed into its "Specify Command ID or Parameter" fields, as its docs say.
 * - Messages typed in its compose box always carry `locale: "en-US"` (its activity generators
 *   hard-code it), so the id-ID turn is its "Custom activity": the playground's own template for
 *   this conversation, with `text` and `locale` changed, sent from its editor.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { loadConfig } from '../../api/src/config';
import { startRapport, type RunningApp } from '../../server/src/main';
import { silentLogger } from '../../api/src/services/logger';
import { CHROMIUM, CHROMIUM_ARGS, apiJson, waitForRunsToEnd } from './support';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);
const SHOTS = path.resolve(__dirname, '../../artifacts/screenshots');
const PLAYGROUND_CLI = path.resolve(__dirname, '../../node_modules/@microsoft/m365agentsplayground/cli.js');
const LOOPBACK_ONLY = path.resolve(__dirname, 'loopback-only.cjs');
/** The manifest's search command (bot/src/platform/teams-platform.ts SEARCH_COMMAND_ID, SEARCH_PARAMETER). */
const SEARCH_COMMAND = { id: 'searchAccounts', parameter: 'query' };
/** Legal suffixes a suffix-stripping match drops, so "<brand> GmbH" and "<brand> Ltd" would tie. */
const LEGAL_SUFFIXES = new Set(['gmbh', 'ltd', 'inc', 'inc.', 'llc', 'ag', 'plc', 'bv', 'sa', 'corp', 'corp.', 'co.']);

interface Row {
  AccountId: string;
  AccountName: string | null;
  EngagementScore: number;
  EngagementScoreChange: number | null;
  DaysSinceLastemail: number | null;
  DaysSinceLastMeeting: number | null;
}

let app: RunningApp;
let playground: ChildProcessByStdio<null, Readable, Readable>;
let playgroundUrl: string;
let playgroundOutput = '';
let browser: Browser;
let page: Page;
let dataDir: string;
let rows: Row[];
/** Two or more accounts "<brand> <legal suffix>"; `target` is the one looked up by its exact name. */
let brand: string;
let target: Row;
let sameBrand: Row[];
/** The target's domain, as its candidate button shows it ("<name> · <domain>"). */
let domain: string;

const api = <T>(p: string): Promise<T> => apiJson<T>(app.url, p);

const waitForFirstRun = (): Promise<void> => waitForRunsToEnd(app.url);

/** A port free on loopback now; the playground's service URL must name its port before it starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the playground and resolves when it listens ("Listening on <port>" on a non-TTY stdout). */
async function startPlayground(endpoint: string, workDir: string): Promise<string> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The default service URL says localhost; 127.0.0.1 keeps the bot's replies on the bound address.
  const args = ['--require', LOOPBACK_ONLY, PLAYGROUND_CLI, 'start', '-e', endpoint, '-c', 'msteams', '-p', String(port), '--su', `${url}/_connector`, '--disable-telemetry'];
  const env: NodeJS.ProcessEnv = { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_LOGFILE: path.join(workDir, 'playground.log') };
  for (const proxy of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete env[proxy];
  playground = spawn(process.execPath, args, { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the playground did not start within 30 s:\n${playgroundOutput}`)), 30_000);
    const collect = (chunk: Buffer) => {
      playgroundOutput += chunk.toString();
      if (playgroundOutput.includes(`Listening on ${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    playground.stdout.on('data', collect);
    playground.stderr.on('data', collect);
    playground.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the playground exited (${code}):\n${playgroundOutput}`));
    });
  });
  return url;
}

async function stopPlayground(): Promise<void> {
  if (!playground || playground.exitCode !== null || playground.signalCode !== null) return;
  const exited = new Promise((resolve) => playground.once('exit', resolve));
  playground.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5_000)))]);
  clearTimeout(timer);
  if (playground.exitCode === null && playground.signalCode === null) playground.kill('SIGKILL');
}

/** "Summit GmbH" → "summit" when the last word is a legal suffix, else null. */
function brandOf(name: string): string | null {
  const words = name.trim().split(/\s+/);
  if (words.length < 2 || !LEGAL_SUFFIXES.has(words.at(-1)!.toLowerCase())) return null;
  return words.slice(0, -1).join(' ');
}

/** The cards in the conversation (bot messages, inserted and unfurled cards all render as `.ac-adaptiveCard`). */
const cards = () => page.locator('.ac-adaptiveCard');

/** Types into the playground's compose box and sends, as a user would. */
async function send(text: string): Promise<void> {
  const box = page.getByRole('textbox').first();
  await box.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** The card that appears after the `count` already shown. */
async function nextCard(count: number): Promise<Locator> {
  const card = cards().nth(count);
  await card.waitFor();
  return card;
}

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `bot-${name}.png`) });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-bot-e2e-'));
  // A fixed port, not 0: the bot's "Open in Rapport" links are built from the configured port.
  const port = await freePort();
  app = await startRapport(loadConfig({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), silentLogger);
  const [, url] = await Promise.all([waitForFirstRun(), startPlayground(`${app.url}/api/messages`, dataDir)]);
  playgroundUrl = url;

  rows = (await api<{ rows: Row[] }>('/api/results/office?level=year&pageSize=500')).rows;
  const byBrand = new Map<string, Row[]>();
  for (const row of rows) {
    const b = row.AccountName ? brandOf(row.AccountName) : null;
    if (b) byBrand.set(b.toLowerCase(), [...(byBrand.get(b.toLowerCase()) ?? []), row]);
  }
  const ofBrand = (b: string) => rows.filter((r) => r.AccountName?.toLowerCase().startsWith(`${b.toLowerCase()} `));
  // The brand with the fewest accounts: all of them fit the candidate card (8 buttons at most).
  const tie = [...byBrand.values()].filter((group) => group.length >= 2).sort((a, b) => ofBrand(brandOf(a[0]!.AccountName!)!).length - ofBrand(brandOf(b[0]!.AccountName!)!).length)[0];
  if (!tie) throw new Error('the demo data has no two accounts "<brand> <legal suffix>" of one brand');
  target = tie[1]!;
  brand = brandOf(target.AccountName!)!;
  sameBrand = ofBrand(brand);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/*', (route) => (LOOPBACK_HOSTS.has(new URL(route.request().url()).hostname) ? route.continue() : route.abort()));
  page = await context.newPage();
  await mkdir(SHOTS, { recursive: true });
  await page.goto(playgroundUrl);
  // The playground checks the bot endpoint, then installs the app in the personal chat.
  await page.getByText('Connected.', { exact: false }).first().waitFor({ timeout: 30_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stopPlayground();
  await app?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the bot in Microsoft 365 Agents Playground', () => {
  it('when "help" is sent, then the bot lists its commands', async () => {
    await send('help');
    await page.getByText('Here is what I can do:', { exact: true }).waitFor();
    const list = page.getByRole('list').filter({ hasText: 'score <account>' }).last();
    for (const usage of ['help', 'score <account>', 'top [n]', 'stale [days]', 'settings', 'run']) {
      await list.getByText(usage, { exact: true }).waitFor();
    }
    await shot('help');
  });

  it('when "score" names an account exactly and another shares its brand, then that account\'s card comes back, not candidates', async () => {
    expect(sameBrand.length).toBeGreaterThanOrEqual(2);
    const before = await cards().count();
    await send(`score ${target.AccountName}`);
    const card = await nextCard(before);
    await card.getByText(target.AccountName!, { exact: true }).waitFor();
    expect(await card.textContent()).toContain(`Engagement score ${target.EngagementScore} (`);
    expect(await card.getByText('Which one did you mean?').count()).toBe(0);
    // The change in words; before a second run there is nothing to compare with.
    const change = target.EngagementScoreChange;
    expect(await card.textContent()).toContain(change === null ? 'first scored in the latest run' : 'change since the last run');
    // An account never contacted is not one that "went quiet" (it needs a first contact).
    if (target.DaysSinceLastemail === null && target.DaysSinceLastMeeting === null) await card.getByText('No, never contacted', { exact: true }).waitFor();
    await shot('score-exact');
  });

  it('when "score" names only the brand, then a card offers one button per account and pressing one shows that account\'s card', async () => {
    const before = await cards().count();
    await send(`score ${brand}`);
    const card = await nextCard(before);
    await card.getByText(`Several accounts match "${brand}"`, { exact: true }).waitFor();
    const buttons = card.getByRole('button');
    const names = (await buttons.allTextContents()).map((t) => t.trim());
    expect(names.length).toBe(sameBrand.length);
    // "<name> · <domain>": every candidate is an account of this brand, the target among them.
    const candidateNames = names.map((n) => n.split(' · ')[0]!);
    for (const name of candidateNames) expect(sameBrand.map((r) => r.AccountName)).toContain(name);
    expect(candidateNames).toContain(target.AccountName);
    domain = names.find((n) => n.startsWith(`${target.AccountName} · `))!.split(' · ')[1]!.trim();
    await shot('candidates');

    // The card action (Action.Execute, verb rapport.account.score): the card becomes the account's.
    const invoke = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/v1/invoke'));
    await buttons.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(target.AccountName!)} · `) }).click();
    const response = await invoke;
    expect(response.status()).toBeLessThan(400);
    expect(JSON.parse(response.request().postData() ?? '{}')).toMatchObject({ name: 'adaptiveCard/action', value: { action: { verb: 'rapport.account.score' } } });
    await card.getByText(target.AccountName!, { exact: true }).waitFor();
    expect(await card.getByRole('button', { name: / · / }).count()).toBe(0);
    expect(await card.textContent()).toContain(`Engagement score ${target.EngagementScore} (`);
    await shot('candidate-pressed');
  });

  it('when the message extension searches by the account\'s domain, then the account comes first and its card is inserted and sent', async () => {
    // The candidate buttons showed each account's domain; search by it as a seller would.
    expect(domain).toMatch(/\./);

    await page.getByRole('button', { name: 'Trigger Message Extension App' }).click();
    await page.getByRole('menuitem', { name: 'Search Command' }).click();
    await page.getByRole('button', { name: 'Specify Command ID or Parameter' }).click();
    await page.getByRole('textbox', { name: 'Command ID' }).fill(SEARCH_COMMAND.id);
    await page.getByRole('textbox', { name: 'Parameter name' }).fill(SEARCH_COMMAND.parameter);

    // By brand first: every account of the brand is offered (a result's title is a level-1 heading).
    const pane = page.getByRole('group').filter({ hasText: 'Search-Based Message Extension' });
    const results = pane.getByRole('heading', { level: 1 });
    await pane.getByRole('textbox', { name: 'Enter a search term' }).fill(brand);
    for (const row of sameBrand) await results.filter({ hasText: new RegExp(`^${escapeRegExp(row.AccountName!)}$`) }).waitFor();

    // Then by domain: the target first.
    await pane.getByRole('textbox', { name: 'Enter a search term' }).fill(domain);
    await waitUntil(async () => (await results.first().textContent())?.trim() === target.AccountName, 'the domain search to put the account first');
    await shot('message-extension-search');

    // Counted before the insert: the compose box previews the card with the same renderer.
    const before = await cards().count();
    await results.first().click();
    const compose = page.getByRole('textbox').first();
    await compose.getByText('Open in Rapport').waitFor();
    await page.getByRole('button', { name: 'Send Message' }).click();
    const card = await nextCard(before);
    await card.getByText(target.AccountName!, { exact: true }).waitFor();
    for (const label of ['Engagement score', 'Last contact', 'Next meeting', 'Gone quiet']) await card.getByText(label, { exact: true }).waitFor();
    await shot('message-extension-inserted');
    // The card's button opens the account's page in the tab.
    const [popup] = await Promise.all([page.waitForEvent('popup'), card.getByText('Open in Rapport', { exact: true }).click()]);
    await popup.waitForLoadState('domcontentloaded');
    const opened = new URL(popup.url());
    expect([opened.port, opened.hash]).toEqual([new URL(app.url).port, `#/accounts/${encodeURIComponent(target.AccountId)}`]);
    await popup.close();
  });

  it('when a link to an account page is pasted, then it unfurls into that account\'s card', async () => {
    const other = sameBrand.find((r) => r.AccountId !== target.AccountId)!;
    // Counted before the dialog opens: it previews the card with the same renderer.
    const before = await cards().count();
    await page.getByRole('button', { name: 'Trigger Message Extension App' }).click();
    await page.getByRole('menuitem', { name: 'Link Unfurling' }).click();
    const dialog = page.getByRole('dialog', { name: 'Link Unfurling' });
    await dialog.getByRole('textbox', { name: 'Enter an URL' }).fill(`${app.url}/#/accounts/${encodeURIComponent(other.AccountId)}`);
    await dialog.getByText(other.AccountName!, { exact: true }).waitFor();
    await dialog.getByText(`${other.EngagementScore} (`, { exact: false }).first().waitFor();
    await shot('link-unfurl');
    await dialog.getByRole('button', { name: 'Send to Conversation' }).click();
    const card = await nextCard(before);
    await card.getByText(other.AccountName!, { exact: true }).waitFor();
  });

  it('when an id-ID user sends "bantuan", then the bot answers in Indonesian', async () => {
    await page.getByRole('button', { name: 'Mock an Activity' }).click();
    const template = page.waitForResponse((r) => r.url().includes('/v1/customActivities/template'));
    await page.getByRole('menuitem', { name: 'Custom activity' }).click();
    const activity = (await (await template).json()) as Record<string, unknown>;
    const dialog = page.getByRole('dialog', { name: 'Custom activity' });
    // The playground's own activity for this conversation, as a message in Indonesian.
    const edited = { ...activity, type: 'message', text: 'bantuan', locale: 'id-ID' };
    const editor = dialog.locator('.monaco-editor').first();
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify(edited));
    const sent = page.waitForRequest((r) => r.url().includes('/v1/customActivities') && r.method() === 'POST');
    await dialog.getByRole('button', { name: 'Send activity' }).click();
    expect(JSON.parse((await sent).postData() ?? '{}')).toMatchObject({ type: 'message', text: 'bantuan', locale: 'id-ID' });
    await page.getByText('Inilah yang bisa saya lakukan:', { exact: true }).waitFor();
    const list = page.getByRole('list').filter({ hasText: 'skor <akun>' }).last();
    for (const usage of ['bantuan', 'skor <akun>', 'pengaturan']) await list.getByText(usage, { exact: true }).waitFor();
    // The cards inserted and unfurled earlier reached the bot as messages without text; it
    // answered them with nothing (this reply comes after theirs), so "help" was answered once.
    expect(await page.getByText('Here is what I can do:', { exact: true }).count()).toBe(1);
    await shot('bantuan-id-ID');
  });
});

/** Polls a condition the page reaches asynchronously (a debounced search), never a fixed sleep. */
async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
