// Runs a Node script as a child process the way a supervisor expects: SIGTERM,
// SIGINT and SIGHUP are passed on to it, and this process exits with the
// child's code once the child has ended (after its drain).
//
// `npm run` starts scripts through `sh -c`, and on SIGTERM npm signals that
// shell, which dies without telling its child. So the parent is watched too:
// when the process that started this one goes away, the child is stopped as
// on SIGTERM rather than left serving on its own.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export const FORWARDED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'];
const PARENT_CHECK_MS = 200;

export function runSupervised(script, args) {
  const child = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
  const stop = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, () => stop(signal));
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    stop('SIGTERM');
  }, PARENT_CHECK_MS);
  child.on('error', (err) => {
    console.error(`Cannot run ${script}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    clearInterval(watch);
    // Killed by a signal: exit as a shell reports it, 128 + the signal's number.
    process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
  });
}
