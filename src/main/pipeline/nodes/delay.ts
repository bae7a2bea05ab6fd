/** `delay`: waits `ms` milliseconds (for trying out slow pipelines); outputs {ms}. */
import { setTimeout as sleep } from 'node:timers/promises';
import { defineOp } from '../node-op';
import { intParam, paramsSchema } from '../params';

export const delayOp = defineOp({
  op: 'delay',
  summary: 'Waits ms milliseconds, then outputs {ms}',
  params: paramsSchema({ ms: intParam(0, 10_000, 100) }),
  input: 'none',
  producesImage: false,
  create: ({ ms }) => ({
    async run() {
      await sleep(ms);
      return { json: { ms } };
    },
  }),
});
