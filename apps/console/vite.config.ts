import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is built into dist/console, which the gateway serves at `/` (ADR 0015).
// Vite reads this file's default export; it is the one default export in the project.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // No inline scripts or styles: the gateway's Content-Security-Policy allows 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // The whole Utrecht CSS takes a moment; that is expected, not worth a warning on every `npm start`.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: {
    proxy: {
      '/v1': 'http://127.0.0.1:3000',
      '/auth': 'http://127.0.0.1:3000',
      '/oidc': 'http://127.0.0.1:3000',
    },
  },
});
