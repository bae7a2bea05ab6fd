#!/usr/bin/env node
// `npm run dist`: the installers for this OS (electron-builder.yml), after `npm run build`.
// Uses the installed Electron binary when there is one; otherwise electron-builder
// downloads Electron (and its packaging tools), and where that is impossible this
// says so in one line instead of a stack trace. The full log: dist/electron-builder.log.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NO_NETWORK =
  /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b/;

function builderScript() {
  const manifest = join(root, 'node_modules', 'electron-builder', 'package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin['electron-builder']);
}

/** The installed Electron's folder, when it holds a binary (then nothing is downloaded for it). */
function localElectronDist() {
  const dist = join(root, 'node_modules', 'electron', 'dist');
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  return existsSync(join(dist, readFileSync(pathFile, 'utf8').trim())) ? dist : null;
}

mkdirSync(join(root, 'dist'), { recursive: true });
const logPath = join(root, 'dist', 'electron-builder.log');
const log = createWriteStream(logPath);
const args = [builderScript(), ...process.argv.slice(2)];
const electronDist = localElectronDist();
if (electronDist) args.push(`--config.electronDist=${electronDist}`);

const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
for (const stream of [child.stdout, child.stderr]) {
  stream.on('data', (chunk) => {
    log.write(chunk);
    output += chunk.toString();
  });
}
child.on('close', (code) => {
  log.end();
  if (code === 0) {
    console.log(output.trim());
    console.log(`Installers are in dist/ (log: ${logPath}).`);
    process.exit(0);
  }
  const offline = output.match(NO_NETWORK);
  if (offline) {
    console.error(
      `npm run dist: electron-builder cannot download Electron ${electronVersion()} or its packaging tools here (${offline[1]}); build the installers on a machine with internet access (log: ${logPath}).`,
    );
  } else {
    console.error(output.trim().split('\n').slice(-40).join('\n'));
    console.error(`npm run dist failed (exit ${code}); the full log: ${logPath}`);
  }
  process.exit(code || 1);
});

function electronVersion() {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.electron;
}
