/**
 * Calls one of the core's operations by its name in the table, with arguments
 * already checked against the operation's schemas; the IPC handlers and the
 * HTTP router both reach the core through here.
 */
import type { ActionResult, CoreOperations, OperationResult } from '../../shared/contract';
import { operationSpec, type CoreOperation } from '../../shared/operations';

/** What the core answered, as it answered it. */
export async function callCore(
  api: CoreOperations,
  name: CoreOperation,
  args: readonly unknown[],
): Promise<unknown> {
  const run = api[name] as (...args: unknown[]) => unknown;
  return await run.apply(api, args as unknown[]);
}

/** The core's answer as it crosses IPC: a value or a refusal, bytes as a plain Uint8Array. */
export function asIpcReply(
  name: CoreOperation,
  answer: unknown,
): ActionResult | OperationResult<unknown> {
  switch (operationSpec(name).reply.kind) {
    case 'action': {
      const done = answer as ActionResult;
      return done.ok ? { ok: true } : done;
    }
    case 'result':
      return answer as OperationResult<unknown>;
    case 'bytes':
      return { ok: true, value: answer ? new Uint8Array(answer as Uint8Array) : null };
    default:
      return { ok: true, value: answer };
  }
}
