/** Starts the camera load process and talks to it. */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { LoadCamera, LoadCounters, LoadReply, LoadRequest } from './load-messages';

type Body<T> = T extends { id: number } ? Omit<T, 'id'> : never;

export interface LoadProcess {
  pid: number;
  start(url: string, pipeline: string, cameras: LoadCamera[]): Promise<LoadCounters>;
  reset(): Promise<LoadCounters>;
  counters(): Promise<LoadCounters>;
  stop(): Promise<Extract<LoadReply, { type: 'stopped' }>>;
}

export function startLoadProcess(): LoadProcess {
  const child = fork(join(__dirname, 'load-process.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, (reply: LoadReply) => void>();
  child.on('message', (reply: LoadReply) => {
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  const call = (body: Body<LoadRequest>): Promise<LoadReply> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (reply) =>
        reply.type === 'error'
          ? reject(new Error(`camera load: ${reply.message}`))
          : resolve(reply),
      );
      child.send({ ...body, id });
    });
  const countersOf = async (body: Body<LoadRequest>) => {
    const reply = await call(body);
    if (reply.type === 'error') throw new Error(reply.message);
    return reply.counters;
  };
  return {
    pid: child.pid!,
    start: (url, pipeline, cameras) => countersOf({ type: 'start', url, pipeline, cameras }),
    reset: () => countersOf({ type: 'reset' }),
    counters: () => countersOf({ type: 'counters' }),
    async stop() {
      const reply = await call({ type: 'stop' });
      child.disconnect();
      if (reply.type !== 'stopped') throw new Error('camera load did not stop cleanly');
      return reply;
    },
  };
}
