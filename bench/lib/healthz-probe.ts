/** Polls GET /healthz while a scenario runs and records how long each answer took. */
import { request } from 'node:http';
import { createLatencyHistogram } from '../../src/main/sim/latency-histogram';

function probeOnce(url: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ms: performance.now() - started, status: 0 }));
    req.end();
  });
}

export function startHealthzProbe(baseUrl: string, everyMs = 100) {
  const latency = createLatencyHistogram();
  let failures = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { ms, status } = await probeOnce(`${baseUrl}/healthz`);
      if (status === 200) latency.record(ms);
      else failures++;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    latency,
    get failures() {
      return failures;
    },
    reset() {
      latency.reset();
      failures = 0;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}
