/** Runs after the test framework is installed in each tabs test file. */
import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';
import { assertNoUnhandledRequests, uninstallFakeApi } from './fake-api';

// Fluent tables and the charts render slowly in jsdom (a 50-row Office page takes seconds on a
// busy machine); the default 5 s would make the suite flaky rather than stricter.
jest.setTimeout(20000);
// For the same reason a findBy/waitFor waits up to 10 s (it returns as soon as the condition holds):
// a debounced look-up plus a re-render took over 3 s once on a loaded CI machine.
configure({ asyncUtilTimeout: 10000 });

// jsdom lacks these browser APIs that Fluent and the charts touch.
if (typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
}
// The charts measure label widths on a canvas; jsdom has none, so give them a rough one.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return { font: '', measureText: (text: string) => ({ width: text.length * 6 }) };
} as unknown as typeof HTMLCanvasElement.prototype.getContext;
if (typeof window.requestAnimationFrame !== 'function') {
  window.requestAnimationFrame = (cb) => window.setTimeout(() => cb(Date.now()), 0);
}

afterEach(() => {
  try {
    assertNoUnhandledRequests();
  } finally {
    uninstallFakeApi();
    window.location.hash = '';
  }
});
