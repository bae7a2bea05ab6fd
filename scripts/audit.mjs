#!/usr/bin/env node
// `npm audit --omit=dev` gate: fails on any high or critical advisory. Where the
// registry mirror offers no advisory endpoint (the bulk POST is refused), it says
// so plainly and does not pretend the dependencies were checked.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(`npm audit printed no JSON (exit ${run.status}):\n${run.stderr}`);
  process.exit(1);
}
if (report.statusCode || report.error) {
  const why = report.message ?? report.error?.summary ?? 'unknown error';
  console.log(`npm audit: NOT CHECKED — the registry refused the advisory request (${why}).`);
  console.log('Run `npm audit --omit=dev` where registry.npmjs.org is reachable.');
  process.exit(0);
}
const counts = report.metadata?.vulnerabilities ?? {};
console.log(`npm audit (production dependencies): ${JSON.stringify(counts)}`);
const blocking = (counts.high ?? 0) + (counts.critical ?? 0);
if (blocking > 0) {
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    if (v.severity === 'high' || v.severity === 'critical')
      console.log(`  ${v.severity}: ${name} ${v.range}`);
  }
  process.exit(1);
}
