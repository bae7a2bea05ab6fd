/** One Node story: package.json, README, .ci/run and Electron's own engines agree. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const read = (...path: string[]) => readFileSync(join(root, ...path), 'utf8');
const engines = (json: string) =>
  (JSON.parse(json) as { engines?: { node?: string } }).engines?.node ?? '';
const minimum = (range: string) => /(\d+\.\d+)/.exec(range)?.[1] ?? '';

describe('the Node versions the docs promise', () => {
  const station = minimum(engines(read('package.json')));
  const electron = minimum(engines(read('node_modules', 'electron', 'package.json')));
  const readme = read('README.md');

  it('README names the station minimum from package.json engines', () => {
    expect(station).toBe('20.19');
    expect(readme).toContain(`Node.js ${station} or newer`);
  });

  it("README names Electron's preferred Node and the expected engine warning", () => {
    expect(electron).toMatch(/^\d+\.\d+$/);
    expect(readme).toContain(`Node ${electron} or newer`);
    expect(readme).toMatch(/EBADENGINE/);
  });

  it('.ci/run checks the same minimum and says what Electron prefers', () => {
    const ci = read('.ci', 'run');
    const [major, minor] = station.split('.');
    expect(ci).toContain(`a<${major}||(a===${major}&&b<${minor})`);
    expect(ci).toContain(`${electron}+`);
  });
});
