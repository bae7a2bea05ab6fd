/**
 * `store`: records the frame (the JPEG as received) and the outputs of the
 * nodes it needs, under `<data>/recordings/<camera>/<session>/`, before the
 * reply goes out. Every `every_nth` frame; retention by size and age; stops
 * below `min_free_mb` free space.
 */
import { defineOp } from '../node-op';
import { intParam, paramsSchema } from '../params';

const MiB = 1024 * 1024;

export const storeOp = defineOp({
  op: 'store',
  summary: 'Writes the frame and its results under recordings/; outputs {stored, file | reason}',
  params: paramsSchema({
    every_nth: intParam(1, 100_000, 1),
    max_total_mb: intParam(0, 10_000_000, 10_240),
    max_age_hours: intParam(0, 87_600, 168),
    min_free_mb: intParam(0, 10_000_000, 512),
  }),
  input: 'none',
  producesImage: false,
  create: (p, { pipelineId, pipelineVersion, services }) => {
    const policy = {
      maxTotalBytes: p.max_total_mb * MiB,
      maxAgeMs: p.max_age_hours * 3_600_000,
      minFreeBytes: p.min_free_mb * MiB,
    };
    return {
      async run({ frame, inputs }) {
        const store = services.recordings;
        if ((frame.frameIndex - 1) % p.every_nth !== 0) {
          return {
            json: { stored: false, reason: 'every_nth' },
            storage: store.state(policy.minFreeBytes),
          };
        }
        const outcome = await store.write(
          {
            cameraId: frame.session.cameraId,
            sessionId: frame.session.sessionId,
            frameIndex: frame.frameIndex,
            bytes: frame.bytes,
            line: { pipeline: { id: pipelineId, version: pipelineVersion }, result: inputs },
          },
          policy,
        );
        return {
          json: outcome.stored
            ? { stored: true, file: outcome.file }
            : { stored: false, reason: outcome.reason },
          storage: store.state(policy.minFreeBytes),
        };
      },
    };
  },
});
