import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/** Entry name → absolute path, for the entries whose file exists. */
function entries(candidates: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(candidates)
      .map(([name, file]) => [name, resolve(__dirname, file)] as const)
      .filter(([, file]) => existsSync(file)),
  );
}

/**
 * The dev server only (`electron-vite dev`): React's refresh preamble is an inline
 * script and Vite injects styles inline, so the page's CSP allows inline scripts
 * and styles there. Builds keep the page's CSP as written.
 */
export function devCsp(): Plugin {
  return {
    name: 'foregsyte-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace(/\b(script-src|style-src) 'self'/g, "$1 'self' 'unsafe-inline'"),
  };
}

// One build emits the Electron shell, the headless CLIs (plain Node), the
// sandboxed preload and the dashboard the headless station also serves.
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: entries({
          index: 'src/main/index.ts',
          headless: 'src/main/cli/headless.ts',
          simulate: 'src/main/cli/simulate.ts',
          preflight: 'src/main/cli/preflight.ts',
          bridge: 'src/main/cli/bridge.ts',
        }),
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require(): bundle everything into one file.
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      minify: true,
      rollupOptions: {
        input: entries({ index: 'src/renderer/index.html', camera: 'src/renderer/camera.html' }),
      },
    },
    plugins: [react(), devCsp()],
  },
});
