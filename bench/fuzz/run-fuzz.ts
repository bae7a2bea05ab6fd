/**
 * The fuzz driver: lanes of sessions sending mostly-bad frames one at a time
 * and judging each outcome against the protocol, plus lanes of malformed
 * queries, rapid connect/disconnect and raw-socket upgrade attacks.
 */
import { CAMERA_ID_PATTERN, CloseCode, STREAM_PATH } from '../../src/shared/protocol';
import { allowedOutcomes, malformedQuery, nextFrame, type FrameKind } from './inputs';
import { ProbeSocket, type Outcome } from './probe-socket';
import { createRng, type Rng } from './rng';
import { tinyFlood } from './tiny-flood';
import { runAttack, type AttackKind } from './upgrade-attacks';

export interface FuzzOptions {
  port: number;
  seed: number;
  /** Time budget. */
  seconds: number;
  /** Stop once this many frames were sent (whichever comes first). */
  maxFrames?: number;
  /** Parallel frame-sending sessions. */
  lanes: number;
  maxFrameBytes: number;
  heartbeatMs: number;
  /** Pipelines the station knows (for the query oracle); frames go through these. */
  pipelines: string[];
  defaultPipeline: string;
  /** Valid JPEGs to send and to mutate. */
  jpegs: Buffer[];
  onProgress?: (report: FuzzReport) => void;
}

export interface FuzzReport {
  seed: number;
  elapsedS: number;
  frames: Record<FrameKind, number>;
  framesTotal: number;
  outcomes: { replies: number; failures: number; closedWithError: number };
  sessions: number;
  queries: number;
  rapid: number;
  attacks: Record<AttackKind, number>;
  /** Tiny-frame floods run, frames they sent, how many ended with 4029 and how many the heartbeat cut first. */
  floods: { runs: number; frames: number; closedTooManyFrames: number; cutOff: number };
  /** Allowed but notable outcomes, by kind. */
  notes: Record<string, number>;
  violations: string[];
}

const MAX_VIOLATIONS = 50;

function emptyReport(seed: number): FuzzReport {
  return {
    seed,
    elapsedS: 0,
    frames: {
      valid: 0,
      tiny: 0,
      mutated: 0,
      truncated: 0,
      random: 0,
      scan_bomb: 0,
      huge_dimensions: 0,
      text: 0,
      empty: 0,
      oversized: 0,
    },
    framesTotal: 0,
    outcomes: { replies: 0, failures: 0, closedWithError: 0 },
    sessions: 0,
    queries: 0,
    rapid: 0,
    attacks: {
      slow_upgrade: 0,
      half_open: 0,
      garbage_frames: 0,
      bad_upgrade: 0,
      bad_target: 0,
      junk_request: 0,
    },
    floods: { runs: 0, frames: 0, closedTooManyFrames: 0, cutOff: 0 },
    notes: {},
    violations: [],
  };
}

function judge(kind: FrameKind, outcome: Outcome, frameIndex: number): string | null {
  const allowed = allowedOutcomes(kind);
  if (outcome.type === 'timeout') return `${kind} frame ${frameIndex}: no reply and no close`;
  if (outcome.type === 'reply') {
    if (outcome.frameIndex !== frameIndex) {
      return `${kind}: reply for frame ${outcome.frameIndex}, expected ${frameIndex}`;
    }
    if (outcome.dropped) return `${kind} frame ${frameIndex}: dropped with nothing else in flight`;
    if (kind === 'valid' && outcome.failure) return `valid frame ${frameIndex}: pipeline_failure`;
    return allowed.some((a) => a.reply)
      ? null
      : `${kind} frame ${frameIndex}: processed, expected a close`;
  }
  const ok = allowed.some(
    (a) =>
      !a.reply &&
      a.closeCode === outcome.closeCode &&
      (a.error === null || a.error === outcome.error),
  );
  return ok
    ? null
    : `${kind} frame ${frameIndex}: closed ${outcome.closeCode} after ${outcome.error ?? 'no error'}, ` +
        `expected ${allowed.map((a) => (a.reply ? 'a reply' : `${a.error ?? '-'}/${a.closeCode}`)).join(' or ')}`;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const report = emptyReport(options.seed);
  const base = `ws://127.0.0.1:${options.port}${STREAM_PATH}`;
  const started = Date.now();
  const deadline = started + options.seconds * 1000;
  const running = () =>
    Date.now() < deadline &&
    (options.maxFrames === undefined || report.framesTotal < options.maxFrames);
  const violation = (text: string) => {
    if (report.violations.length < MAX_VIOLATIONS) report.violations.push(text);
  };

  async function frameLane(lane: number, rng: Rng) {
    let n = 0;
    while (running()) {
      const pipeline = rng.pick(options.pipelines);
      const probe = new ProbeSocket(`${base}?camera_id=fz-${lane}-${++n}&pipeline_id=${pipeline}`);
      report.sessions++;
      const opening = await probe.opening();
      if (opening.type !== 'hello') {
        violation(`lane ${lane}: no hello (${JSON.stringify(opening)})`);
        await probe.close();
        continue;
      }
      let index = 0;
      while (running()) {
        const frame = nextFrame(rng, options.jpegs, options.maxFrameBytes);
        probe.send(frame.data);
        index++;
        report.frames[frame.kind]++;
        report.framesTotal++;
        if (rng.chance(0.01)) {
          probe.ws.terminate(); // a camera that vanishes mid-frame
          report.rapid++;
          break;
        }
        const outcome = await probe.outcome(index);
        const problem = judge(frame.kind, outcome, index);
        if (problem) violation(problem);
        if (outcome.type === 'reply') {
          report.outcomes.replies++;
          if (outcome.failure) report.outcomes.failures++;
        } else {
          if (outcome.type === 'closed') report.outcomes.closedWithError++;
          break;
        }
        if (rng.chance(0.02)) break;
      }
      await probe.close();
    }
  }

  async function queryLane(rng: Rng) {
    let n = 0;
    while (running()) {
      const query = malformedQuery(rng, 0, ++n);
      const params = new URL(`http://x${STREAM_PATH}?${query}`).searchParams;
      const pipeline = params.get('pipeline_id') || options.defaultPipeline;
      const camera = params.get('camera_id');
      const expected = !options.pipelines.includes(pipeline)
        ? 'invalid_pipeline'
        : camera !== null && !CAMERA_ID_PATTERN.test(camera)
          ? 'invalid_camera_id'
          : 'hello';
      const probe = new ProbeSocket(`${base}?${query}`);
      report.queries++;
      const opening = await probe.opening();
      const got =
        opening.type === 'hello'
          ? 'hello'
          : opening.type === 'closed' && opening.closeCode === 1008
            ? opening.error
            : JSON.stringify(opening);
      if (got !== expected) violation(`query ?${query}: expected ${expected}, got ${got}`);
      await probe.close();
    }
  }

  async function rapidLane(rng: Rng) {
    let n = 0;
    while (running()) {
      const probe = new ProbeSocket(`${base}?camera_id=fz-rapid-${++n % 7}&pipeline_id=noop`);
      report.rapid++;
      await new Promise((r) => setTimeout(r, rng.int(0, 8)));
      if (rng.chance(0.5)) probe.ws.terminate();
      else await probe.close();
      // Tens of reconnects a second are a storm already; more would only measure the kernel.
      await new Promise((r) => setTimeout(r, rng.int(5, 40)));
    }
  }

  async function attackLane(rng: Rng) {
    const kinds: AttackKind[] = [
      'slow_upgrade',
      'half_open',
      'garbage_frames',
      'bad_upgrade',
      'bad_target',
      'junk_request',
    ];
    let n = 0;
    while (running()) {
      const kind = rng.pick(kinds);
      report.attacks[kind]++;
      const result = await runAttack(
        kind,
        options.port,
        rng,
        `fz-raw-${++n}`,
        options.heartbeatMs,
      ).catch((error: unknown) => ({ kind, violation: `${kind}: ${String(error)}` }));
      if (result.violation) violation(result.violation);
      if ('note' in result && result.note)
        report.notes[result.note] = (report.notes[result.note] ?? 0) + 1;
    }
  }

  // One flood at a time, each bounded: the budget must end every one with 4029.
  async function floodLane() {
    const pipeline = options.pipelines.at(-1) ?? options.defaultPipeline;
    while (running()) {
      const result = await tinyFlood(options.port, `fz-flood-${report.floods.runs}`, pipeline);
      report.floods.runs++;
      report.floods.frames += result.sent;
      if (result.closeCode === CloseCode.tooManyFrames) report.floods.closedTooManyFrames++;
      else if (!result.violation) report.floods.cutOff++;
      if (result.violation) violation(result.violation);
    }
  }

  const progress = options.onProgress
    ? setInterval(() => {
        report.elapsedS = (Date.now() - started) / 1000;
        options.onProgress?.(report);
      }, 1000)
    : null;
  const root = createRng(options.seed);
  await Promise.all([
    ...Array.from({ length: options.lanes }, (_, lane) =>
      frameLane(lane, createRng(root.int(0, 2 ** 31))),
    ),
    queryLane(createRng(root.int(0, 2 ** 31))),
    rapidLane(createRng(root.int(0, 2 ** 31))),
    attackLane(createRng(root.int(0, 2 ** 31))),
    attackLane(createRng(root.int(0, 2 ** 31))),
    floodLane(),
  ]);
  if (progress) clearInterval(progress);
  report.elapsedS = (Date.now() - started) / 1000;
  return report;
}
