import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

// The dashboard SPA: Preact with Vite's built-in (Oxc) JSX transform, no plugin needed.
// Served by the Nest service from dist-web/ (src/web); only 'self' scripts and styles (CSP).
export default defineConfig({
  root: here,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist-web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npx vite --config web/vite.config.ts` for UI work against `npm start` on :3000
    proxy: Object.fromEntries(
      [
        '/projects',
        '/dashboard',
        '/deadlines',
        '/rectifications',
        '/audit',
        '/events',
        '/meta',
        '/dev',
        '/annual-plans',
        '/om-eligibility',
        '/admin',
      ].map((p) => [p, { target: 'http://localhost:3000', changeOrigin: false }]),
    ),
  },
});
