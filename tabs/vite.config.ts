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
    rollupOptions: {
      // The tab reads the API's wire contract for its types and three column lists. The contract's
      // modules only define schemas (and register their names for the OpenAPI generator, which the
      // tab never runs), so what the tab does not use is dropped, zod included.
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]api[\\/]src[\\/](contract|engagement)[\\/]/.test(id) },
    },
  },
  server: {
    port: 53000,
    proxy: { '/api': { target: 'http://localhost:3978', changeOrigin: false } },
  },
});
