/** A station action run from a control: its refusal (or a thrown error) kept to be shown. */
import { useState } from 'react';
import type { ActionResult } from '../../../shared/contract';

export function useAction(): [
  string | null,
  (run: () => Promise<ActionResult>) => Promise<boolean>,
] {
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<ActionResult>): Promise<boolean> => {
    setError(null);
    const result = await action().catch((err: Error): ActionResult => ({
      ok: false,
      code: 'internal',
      message: err.message,
    }));
    if (!result.ok) setError(result.message);
    return result.ok;
  };
  return [error, run];
}
