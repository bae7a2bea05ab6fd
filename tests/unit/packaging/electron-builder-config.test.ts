/**
 * The installers' config (electron-builder.yml), checked without building
 * installers: electron-builder's own loader and schema validator accept it (and
 * refuse a wrong key), every native module the app loads stays outside the asar
 * archive, and the Linux, Windows and macOS settings the app depends on are there.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
// electron-builder's own loader, schema check and file matcher (its app-builder-lib, as pinned).
import { FileMatcher } from 'app-builder-lib/out/fileMatcher';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..', '..');
const ADDON = 'native/turbo-decode/build/Release/turbo_decode.node';
/** Files the dynamic loader opens: Node addons and the shared libraries beside them. */
const NATIVE = /\.node$|\.so(\.\d+)*$|\.dylib$|\.dll$/;

interface LockPackage {
  dev?: boolean;
}

/** The installed packages the app ships (electron-builder packs the production tree). */
function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockPackage>;
  };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && !entry.dev)
    .map(([path]) => path)
    .filter((path) => statSync(join(ROOT, path), { throwIfNoEntry: false })?.isDirectory());
}

function nativeFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) found.push(...nativeFiles(path));
    else if (NATIVE.test(entry.name)) found.push(path);
  }
  return found;
}

const loadConfig = () => getConfig(ROOT, null, null);

describe('installer config (electron-builder.yml)', () => {
  it('passes electron-builder’s own loader and schema, which refuses a wrong key', async () => {
    const config = await loadConfig();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const wrong = { ...config, linux: { ...config.linux, dependz: ['libturbojpeg0'] } };
    await expect(validateConfiguration(wrong, new DebugLogger(false))).rejects.toThrow(
      /does not match the API schema[\s\S]*configuration\.linux/,
    );
  });

  it('unpacks every native module the app loads, and ships the native decoder', async () => {
    const config = await loadConfig();
    // The filter electron-builder's asar packer applies to decide what stays unpacked.
    const unpacked = new FileMatcher(ROOT, ROOT, (p) => p, config.asarUnpack).createFilter();
    // The loader normalises `files` to one file set of patterns.
    const [fileSet] = config.files as Array<{ filter: string[] }>;
    const natives = productionPackages().flatMap(nativeFiles);
    // Not vacuous: sharp's addon and libvips, and bufferutil's prebuild, are among them.
    expect(natives.some((f) => f.startsWith('node_modules/@img/') && f.endsWith('.node'))).toBe(
      true,
    );
    expect(natives.some((f) => f.startsWith('node_modules/bufferutil/'))).toBe(true);
    natives.push(ADDON);
    const packed = natives.filter(
      (file) => !unpacked(join(ROOT, file), statSync(join(ROOT, file))),
    );
    expect(packed).toEqual([]);
    expect(fileSet?.filter).toContain(ADDON);
    expect(config.npmRebuild).toBe(false);
  });

  it('builds deb (TurboJPEG, sandbox helper 4755) and AppImage, NSIS with the firewall rule, dmg', async () => {
    const config = await loadConfig();
    expect(config.linux?.target).toEqual(['deb', 'AppImage']);
    expect(config.deb?.depends).toContain('libturbojpeg0');
    const postinst = readFileSync(join(ROOT, config.deb!.afterInstall!), 'utf8');
    expect(postinst).toContain("chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox'");
    expect(config.win?.target).toBe('nsis');
    const nsis = readFileSync(join(ROOT, config.nsis!.include!), 'utf8');
    expect(nsis).toMatch(
      /!macro customInstall[\s\S]*advfirewall firewall add rule[^\n]*localport=8765/,
    );
    expect(nsis).toMatch(/!macro customUnInstall[\s\S]*advfirewall firewall delete rule/);
    expect(config.mac?.target).toBe('dmg');
    expect(config.mac?.extendInfo).toHaveProperty('NSLocalNetworkUsageDescription');
    const entitlements = readFileSync(join(ROOT, config.mac!.entitlements!), 'utf8');
    expect(entitlements).toContain('com.apple.security.network.server');
    const icon = readFileSync(join(ROOT, config.icon!));
    // A PNG of 1024 px (its IHDR width), large enough for every platform's icon sizes.
    expect(icon.subarray(1, 4).toString()).toBe('PNG');
    expect(icon.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(relative(ROOT, join(ROOT, config.directories!.output!))).toBe('dist');
  });
});
