/** What the browser suites share: Debian's Chromium and its flags, and the demo app's JSON API. */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

/** A JSON answer of the app at `baseUrl`; anything but 2xx throws with its status and body. */
export async function apiJson<T>(baseUrl: string, p: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${baseUrl}${p}`, init);
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Waits until the app has runs and none is running (demo mode starts one at boot); 60 s at most. */
export async function waitForRunsToEnd(baseUrl: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    const { runs } = await apiJson<{ runs: { status: string }[] }>(baseUrl, '/api/runs');
    if (runs.length > 0 && runs.every((r) => r.status !== 'running')) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the demo run did not finish within 60 s');
}

/** The number in a text, digits only ("1,234 accounts" → 1234). */
export const digitsOf = (s: string | null | undefined): number => Number((s ?? '').replace(/[^\d]/g, ''));
