/**
 * The page matrix: every page of the tab, at Teams' desktop width (1280 px) and its narrowest
 * (420 px: mobile and the meeting side panel), in the light, dark and high-contrast themes.
 * Each combination is audited by axe-core (no serious or critical violation), checked for
 * anything wider than the viewport (outside a sideways scroll region), and photographed to
 * artifacts/screenshots/<page>-<width>-<theme>.png.
 *
 * A new page is one line in PAGES; a route in tabs/src/lib/router.ts without a line fails the
 * first test, so the matrix cannot silently fall behind the app.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../api/src/config';
import { startRapport, type RunningApp } from '../../server/src/main';
import { silentLogger } from '../../api/src/services/logger';
import { CHROMIUM, CHROMIUM_ARGS, apiJson, waitForRunsToEnd } from './support';

const SHOTS = path.resolve(__dirname, '../../artifacts/screenshots');
const ROUTER = path.resolve(__dirname, '../../tabs/src/lib/router.ts');

interface PageCase {
  /** The screenshot's name and the test's. */
  name: string;
  /** The route name in tabs/src/lib/router.ts that this hash opens. */
  route: string;
  /** The hash to open; a function when it needs data from the API (an account id). */
  hash: string | ((ctx: { accountId: string }) => string);
}

/** Every page of the tab. Add a line here for a new page. */
const PAGES: PageCase[] = [
  { name: 'dashboard', route: 'dashboard', hash: '#/' },
  { name: 'office-year', route: 'office', hash: '#/office?level=year' },
  { name: 'office-month', route: 'office', hash: '#/office?level=month' },
  { name: 'office-week', route: 'office', hash: '#/office?level=week' },
  { name: 'account-card', route: 'account', hash: ({ accountId }) => `#/accounts/${encodeURIComponent(accountId)}` },
  { name: 'segments', route: 'segments', hash: '#/segments' },
  { name: 'settings', route: 'settings', hash: '#/settings' },
  { name: 'setup', route: 'setup', hash: '#/setup' },
  { name: 'configuration', route: 'configuration', hash: '#/settings/configuration' },
  { name: 'configuration-edit', route: 'configurationEdit', hash: '#/settings/configuration/mailboxes' },
  { name: 'users', route: 'users', hash: '#/users' },
  { name: 'channel-config', route: 'config', hash: '#/config' },
  { name: 'not-found', route: 'notFound', hash: '#/no-such-page' },
];

const WIDTHS = [1280, 420] as const;
const THEMES = ['light', 'dark', 'contrast'] as const;
type ThemeName = (typeof THEMES)[number];
/** Teams' middle width (a narrow window, the tablet layout), checked in one theme to keep the run short. */
const MIDDLE_WIDTH = 640;
/** The tab's `?theme=` values (tabs/src/lib/theme.ts). */
const THEME_QUERY: Record<ThemeName, string> = { light: 'default', dark: 'dark', contrast: 'contrast' };

let app: RunningApp;
let browser: Browser;
let dataDir: string;
let axeSource: string;
let accountId: string;
/** One browser context and page per width and theme; pages change by hash, without reloads. */
const sessions = new Map<string, { context: BrowserContext; page: Page }>();

const api = <T>(p: string): Promise<T> => apiJson<T>(app.url, p);

const waitForFirstRun = (): Promise<void> => waitForRunsToEnd(app.url);

async function session(width: number, theme: ThemeName): Promise<Page> {
  const key = `${width}-${theme}`;
  const existing = sessions.get(key);
  if (existing) return existing.page;
  // axe is injected as a script, which the app's CSP rightly forbids: these contexts bypass it.
  const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true, reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.goto(`${app.url}/?theme=${THEME_QUERY[theme]}&lang=en-US#/`);
  await page.locator('main').first().waitFor();
  sessions.set(key, { context, page });
  return page;
}

/** Waits until the page has stopped loading: no skeleton or spinner left in the content. */
async function settle(page: Page): Promise<void> {
  await page.locator('main').first().waitFor();
  await page
    .waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document;
      return doc.querySelectorAll('main .fui-Skeleton, main .fui-Spinner').length === 0;
    }, undefined, { timeout: 15_000 })
    .catch(() => undefined); // A page that keeps a spinner is still audited and photographed as it is.
  // Lazy charts mount after their data; one more frame lets them lay out.
  await page.waitForTimeout(250);
}

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

async function seriousViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Violation[] }> } }).axe;
    // Fluent's focus management (Tabster) adds aria-hidden focus sentinels on purpose: they only
    // redirect focus to the real controls. Everything else is audited.
    const result = await axe.run({ exclude: [['[data-tabster-dummy]']] }, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Anything drawn past the right edge of the viewport. Content inside an element that clips or
 * scrolls sideways (the tables' scroll regions) is allowed to be wider: it is reachable by
 * scrolling that region, not the page.
 */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type El = {
      tagName: string;
      id: string;
      className: unknown;
      parentElement: El | null;
      getBoundingClientRect(): { left: number; right: number; width: number; height: number };
      getAttribute(n: string): string | null;
      textContent: string | null;
    };
    const g = globalThis as unknown as {
      document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelectorAll(s: string): El[] };
      getComputedStyle(e: El): { overflowX: string; display: string; visibility: string; position: string; clip: string };
    };
    const width = g.document.documentElement.clientWidth;
    const problems: string[] = [];
    if (g.document.documentElement.scrollWidth > width + 1) problems.push(`the page scrolls sideways: ${g.document.documentElement.scrollWidth} px wide in a ${width} px viewport`);
    const clipped = (el: El): boolean => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const style = g.getComputedStyle(p);
        if (style.overflowX !== 'visible' && p.tagName !== 'HTML' && p.tagName !== 'BODY') return true;
      }
      return false;
    };
    for (const el of g.document.querySelectorAll('body *')) {
      const rect = el.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1 || rect.right <= width + 1) continue;
      const style = g.getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      if (clipped(el)) continue;
      const cls = typeof el.className === 'string' ? el.className.split(' ').filter((c) => c.startsWith('fui-'))[0] : '';
      const text = (el.textContent ?? '').trim().slice(0, 40);
      problems.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls ? `.${cls}` : ''} "${text}" ends at ${Math.round(rect.right)} px (viewport ${width} px)`);
    }
    // The deepest offender is the useful one; its ancestors are listed too, so keep the list short.
    return problems.slice(0, 8);
  });
}

/**
 * The browser's default 8 px body margin showed as a white frame around the app in the dark and
 * high-contrast themes: the page behind the app must be the app's own background, edge to edge.
 */
async function frame(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Box = { getBoundingClientRect(): { left: number; top: number; width: number; height: number } };
    const g = globalThis as unknown as {
      innerHeight: number;
      document: { documentElement: Box & { clientWidth: number }; body: Box; querySelector(s: string): Box | null };
      getComputedStyle(e: Box): { margin: string; backgroundColor: string };
    };
    const problems: string[] = [];
    const body = g.getComputedStyle(g.document.body);
    if (body.margin !== '0px') problems.push(`body margin ${body.margin}`);
    const shell = g.document.querySelector('[data-theme] > *') ?? g.document.querySelector('[data-theme]');
    if (shell) {
      const rect = shell.getBoundingClientRect();
      if (rect.left > 0 || rect.top > 0 || rect.width < g.document.documentElement.clientWidth) problems.push(`the app starts at ${rect.left},${rect.top} and is ${rect.width} px wide`);
      const page = g.getComputedStyle(g.document.documentElement).backgroundColor;
      const app = g.getComputedStyle(shell).backgroundColor;
      // Where the app is shorter than the window, the page shows below it: same colour, no seam.
      if (rect.height < g.innerHeight && page !== app) problems.push(`the page behind the app is ${page}, the app ${app}`);
    }
    return problems;
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-pages-'));
  app = await startRapport(loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), silentLogger);
  await waitForFirstRun();
  const office = await api<{ rows: { AccountId: string }[] }>('/api/results/office?level=year&pageSize=1');
  accountId = office.rows[0]!.AccountId;
  axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  await mkdir(SHOTS, { recursive: true });
});

afterAll(async () => {
  for (const { context } of sessions.values()) await context.close();
  await browser?.close();
  await app?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('every page, at 1280 and 420 px, in every theme', () => {
  it('when the router gains a route, then the page matrix covers it', async () => {
    const source = await readFile(ROUTER, 'utf8');
    const union = /export type Route =([\s\S]*?);\n/.exec(source)?.[1] ?? '';
    const routes = [...union.matchAll(/name: '([A-Za-z]+)'/g)].map((m) => m[1]!);
    expect(routes.length).toBeGreaterThan(5);
    expect(routes.filter((r) => !PAGES.some((p) => p.route === r))).toEqual([]);
  });

  const matrix = [
    ...WIDTHS.flatMap((width) => THEMES.flatMap((theme) => PAGES.map((page) => [page.name, width, theme, page] as const))),
    ...PAGES.map((page) => [page.name, MIDDLE_WIDTH, 'light' as ThemeName, page] as const),
  ];

  it.each(matrix)('when %s is shown at %i px in the %s theme, then axe finds nothing serious and nothing overflows', async (name, width, theme, pageCase) => {
    const page = await session(width, theme);
    const hash = typeof pageCase.hash === 'function' ? pageCase.hash({ accountId }) : pageCase.hash;
    // Through another route first, so a page opened with a new query (the Office table's
    // levels) starts fresh, as it would from a link, instead of keeping the previous state.
    await page.evaluate(async (h) => {
      const w = globalThis as unknown as { location: { hash: string }; requestAnimationFrame(cb: () => void): void };
      w.location.hash = '#/__next-page';
      await new Promise<void>((resolve) => w.requestAnimationFrame(() => resolve()));
      w.location.hash = h;
    }, hash);
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}-${theme}.png`), fullPage: true });

    const problems = { axe: await seriousViolations(page), overflow: await overflowing(page), frame: await frame(page) };

    expect(problems).toEqual({ axe: [], overflow: [], frame: [] });
  });
});
