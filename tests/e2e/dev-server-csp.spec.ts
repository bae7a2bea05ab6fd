/**
 * The dashboard under Vite's dev server (what `electron-vite dev` serves the
 * window): with the dev-only CSP plugin it renders with no CSP violation;
 * without it the page's production CSP blocks Vite's inline styles. The
 * build keeps the production CSP.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { devCsp } from '../../electron.vite.config';

const ROOT = resolve(__dirname, '..', '..');

async function devServer(plugins: Plugin[]): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    configFile: false,
    root: resolve(ROOT, 'src', 'renderer'),
    plugins: [react(), ...plugins],
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: { port: 0 } },
    logLevel: 'silent',
  });
  await server.listen();
  const { port } = server.httpServer!.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}

/** Loads the page and returns the CSP violations Chromium reported. */
async function violations(page: Page, url: string): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) seen.push(message.text());
  });
  await page.goto(url);
  return seen;
}

test('the dev server page runs under the relaxed CSP, and only there', async ({ page }) => {
  const dev = await devServer([devCsp()]);
  try {
    const seen = await violations(page, dev.url);
    // The dashboard rendered (no station behind this dev server: it says it is connecting).
    await expect(page.locator('#root')).not.toBeEmpty();
    expect(seen).toEqual([]);
  } finally {
    await dev.server.close();
  }

  const built = readFileSync(resolve(ROOT, 'out', 'renderer', 'index.html'), 'utf8');
  expect(built).toContain("script-src 'self'; style-src 'self';");
  expect(built).not.toContain('unsafe-inline');
});

test('without the plugin, the production CSP blocks the dev server page', async ({ page }) => {
  const dev = await devServer([]);
  try {
    const seen = await violations(page, dev.url);
    await expect.poll(() => seen.length).toBeGreaterThan(0);
    expect(seen.join('\n')).toContain("directive 'style-src 'self''");
  } finally {
    await dev.server.close();
  }
});
