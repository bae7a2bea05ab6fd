/**
 * The operation table: names, channels and routes each once, and the compiler
 * holding every caller and implementer to it. The `@ts-expect-error` lines are
 * checked by `npm run typecheck` (tsconfig.node.json includes tests/): if any
 * of them compiled, the typecheck would fail on the unused directive.
 */
import { describe, expect, it } from 'vitest';
import type { CoreOperations, StationBridge } from '../../../src/shared/contract';
import {
  defineOperations,
  IpcChannel,
  operationNames,
  operationPath,
  operationSpec,
  pathWith,
  restArgs,
} from '../../../src/shared/operations';
import { CameraIdInput, PipelineIdInput, SessionIdInput } from '../../../src/shared/inputs';

/** Never run: the compiler's verdicts on misuse of the table. */
/* eslint-disable @typescript-eslint/no-unsafe-call -- the calls below that must not compile */
export function misuseTheCompilerRefuses(bridge: StationBridge, core: CoreOperations): void {
  const session = SessionIdInput.parse('session-1');
  const camera = CameraIdInput.parse('cam-1');
  void bridge.switchPipeline(session, PipelineIdInput.parse('inspect'));
  // @ts-expect-error arguments swapped: the source id first, then the flag
  void bridge.setSourceEnabled(true, 'src-1');
  // @ts-expect-error offset and limit are numbers
  void bridge.getRecordingFrames(camera, session, '0', 100);
  // @ts-expect-error camera and session after the numbers
  void bridge.getRecordingFrames(0, 100, camera, session);
  // @ts-expect-error an argument missing
  void bridge.switchPipeline(session);
  // @ts-expect-error an operation that is not in the table (renamed long ago)
  void bridge.enableSource('src-1', true);
  // @ts-expect-error a source needs its camera id
  void bridge.addSource({ url: 'rtsp://cam/1' });
  // @ts-expect-error a thumbnail's path takes the session id, a string
  operationPath('getThumbnail', [42]);
  // @ts-expect-error no such route
  operationPath('getThumbnails', ['s1']);
  void core.setDefaultPipeline(PipelineIdInput.parse('inspect'));
  // @ts-expect-error the core takes a port number nowhere in its operations
  void core.restartOnPort(8080);
  const swapped: Pick<CoreOperations, 'setSourceEnabled'> = {
    // @ts-expect-error an implementation with its parameters in the wrong order
    setSourceEnabled: (enabled: boolean, sourceId: string) => ({ ok: enabled && !!sourceId }),
  };
  void swapped;
  defineOperations({
    // @ts-expect-error a path parameter that is no argument (a typo of session_id)
    typo: {
      http: { method: 'POST', path: '/api/sessions/:sesion_id/pipeline' },
      args: [['session_id', 'sessionId']],
      reply: { kind: 'action' },
      role: 'operator',
    },
  });
}
/* eslint-enable @typescript-eslint/no-unsafe-call */

describe('the operation table', () => {
  it('names each IPC channel and each route once', () => {
    const channels = Object.values(IpcChannel);
    expect(new Set(channels).size).toBe(channels.length);
    const routes = operationNames.flatMap((name) => {
      const http = operationSpec(name).http;
      return http ? [`${http.method} ${http.path}`] : [];
    });
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('gives every operation a way in, and every path parameter an argument', () => {
    for (const name of operationNames) {
      const spec = operationSpec(name);
      expect(spec.ipc ?? spec.http, name).toBeDefined();
      const argNames = spec.args.map(([arg]) => arg);
      for (const [, param] of spec.http?.path.matchAll(/:([a-z_]+)/g) ?? []) {
        expect(argNames, `${name} :${param}`).toContain(param);
      }
      // Every POST acts, except signing in and out, which anyone may try.
      const signing = name === 'signIn' || name === 'signOut';
      if (spec.http?.method === 'POST')
        expect(spec.role, name).toBe(signing ? 'public' : 'operator');
    }
  });

  it('puts arguments in the path, escaped, and the rest in the body', () => {
    expect(
      operationPath('switchPipeline', [
        SessionIdInput.parse('a/b c'),
        PipelineIdInput.parse('inspect'),
      ]),
    ).toBe('/api/sessions/a%2Fb%20c/pipeline');
    expect(restArgs('switchPipeline', ['s1', 'inspect'])).toEqual({ pipeline_id: 'inspect' });
    expect(pathWith('exportRecording', ['cam-1', 's1', 'mp4'])).toBe(
      '/api/recordings/cam-1/s1/export.mp4',
    );
    expect(operationPath('metrics')).toBe('/metrics');
  });
});
