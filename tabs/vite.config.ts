import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The tab is served by the Express server at `/`; in development Vite proxies `/api` to it. */
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Fluent UI alone is larger than the default 500 kB warning; the charts are split out.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    port: 53000,
    proxy: { '/api': { target: 'http://localhost:3978', changeOrigin: false } },
  },
});
