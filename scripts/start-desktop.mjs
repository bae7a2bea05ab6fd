#!/usr/bin/env node
// `npm start`: opens the desktop app. Finds the Electron binary without ever
// downloading it (when it is missing, says how to get it and what works
// meanwhile), rebuilds the app when its sources changed (printing the build's
// error), and explains Linux's sandbox-helper refusal with the commands that fix it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsStale } from './build-freshness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const EXECUTABLE = { win32: 'electron.exe', darwin: 'Electron.app/Contents/MacOS/Electron' };

/** The installed Electron executable, or null (reading path.txt: requiring 'electron' would download). */
function electronBinary(env = process.env, platform = process.platform) {
  const pathFile = join(electronDir, 'path.txt');
  const relative =
    (existsSync(pathFile) && readFileSync(pathFile, 'utf8').trim()) ||
    (EXECUTABLE[platform] ?? 'electron');
  const candidate = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative)
    : join(electronDir, 'dist', relative);
  return existsSync(candidate) ? candidate : null;
}

const MISSING_BINARY = [
  'The Electron binary is not installed, so the desktop window cannot open here.',
  'Electron fetches its binary on first use; on a machine with internet access, run',
  '`node node_modules/electron/install.js` (or `npx electron --version`) in this folder once,',
  'then `npm start` again. Meanwhile `npm run headless` runs the same station and serves the',
  'same dashboard in a browser at http://127.0.0.1:8765/ (see its start-up lines for the URLs).',
];

/** What to print when Chromium refuses to start without its sandbox helper. */
function sandboxHint(helperPath) {
  return [
    'The desktop window cannot open: Chromium’s sandbox helper is not set up, and this',
    'Linux does not let programs use user namespaces instead (Ubuntu 23.10+ / AppArmor).',
    'Fix it once (the .deb package does this itself when it installs):',
    `  sudo chown root:root ${helperPath}`,
    `  sudo chmod 4755 ${helperPath}`,
    'then `npm start` again.',
  ];
}

/** Chromium's words when it aborts for want of a usable sandbox. */
const SANDBOX_REFUSAL = /SUID sandbox helper binary|No usable sandbox|chrome-sandbox/;

/** electron-vite's own CLI script, run with this Node (no npx, no shell: works on Windows too). */
function electronViteScript() {
  const manifest = join(root, 'node_modules', 'electron-vite', 'package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin['electron-vite']);
}

/** Builds the app; on failure prints why and returns false. */
function build(env) {
  console.error('Building the app (first run, or sources changed)...');
  let script;
  try {
    script = electronViteScript();
  } catch (err) {
    console.error(
      `The build cannot run: electron-vite is not installed (${err.message}); run \`npm ci\`.`,
    );
    return false;
  }
  const result = spawnSync(process.execPath, [script, 'build'], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status === 0) return true;
  const output =
    (result.stderr || '').trim() || (result.stdout || '').trim().split('\n').slice(-40).join('\n');
  console.error(
    result.error
      ? `The build could not run: ${result.error.message}`
      : `The build failed (electron-vite build, exit ${result.status ?? result.signal}):`,
  );
  if (output) console.error(output);
  console.error('Fix the error above, then `npm start` again (`npm run build` also type-checks).');
  return false;
}

/** Runs Electron on the app, passing its stderr through while watching for a sandbox refusal. */
function launch(binary, env) {
  const child = spawn(binary, [root, ...process.argv.slice(2)], {
    env,
    stdio: ['inherit', 'inherit', 'pipe'],
  });
  let tail = '';
  child.stderr.on('data', (chunk) => {
    process.stderr.write(chunk);
    tail = (tail + chunk.toString()).slice(-16_384);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    console.error(`Electron could not be started (${binary}): ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && process.platform === 'linux' && SANDBOX_REFUSAL.test(tail)) {
      console.error(sandboxHint(join(dirname(binary), 'chrome-sandbox')).join('\n'));
    }
    process.exit(code ?? (signal ? 1 : 0));
  });
}

function main() {
  const binary = electronBinary();
  if (!binary) {
    console.error(MISSING_BINARY.join('\n'));
    process.exit(1);
  }
  // A terminal that sets it (VS Code's) would make Electron a plain Node: the app must not inherit it.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const outputs = ['preload/index.js', 'renderer/index.html'].map((file) =>
    join(root, 'out', file),
  );
  if (buildIsStale(root, join(root, 'out', 'main', 'index.js'), outputs) && !build(env)) {
    process.exit(1);
  }
  launch(binary, env);
}

main();
