import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The built single-page app (`vite build --config web/vite.config.ts` → `dist-web/`). Resolved
 * from this file so it works from `src/web` (tests) and `dist/web` (npm start) alike.
 */
export const WEB_ROOT = resolve(process.env.WEB_DIST_DIR || resolve(__dirname, '..', '..', 'dist-web'));

let cached: { mtimeMs: number; html: string } | undefined;

/** index.html of the build, re-read when it changes; undefined when the SPA was not built. */
export function indexHtml(root = WEB_ROOT): string | undefined {
  const file = resolve(root, 'index.html');
  if (!existsSync(file)) return undefined;
  const { mtimeMs } = statSync(file);
  if (!cached || cached.mtimeMs !== mtimeMs) cached = { mtimeMs, html: readFileSync(file, 'utf8') };
  return cached.html;
}

export const NOT_BUILT_HTML = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>数字鄂尔多斯建设项目监管</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;line-height:1.6">
<h1>仪表盘尚未构建 · Dashboard not built</h1>
<p>Run <code>npm run build:web</code> (or <code>npm run build</code>) and restart the service.
The API is available; see <a href="/docs">/docs</a>.</p></body></html>`;
