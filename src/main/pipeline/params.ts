/**
 * Building blocks for node params schemas, with messages a technician can act
 * on ("must be a whole number between 16 and 1280, got 5000").
 */
import { z } from 'zod';

function describe(input: unknown): string {
  return input === undefined ? 'nothing' : JSON.stringify(input);
}

export function intParam(min: number, max: number, fallback: number) {
  const rule = `must be a whole number between ${min} and ${max}`;
  return z
    .number({ error: (issue) => `${rule}, got ${describe(issue.input)}` })
    .int({ error: (issue) => `${rule}, got ${describe(issue.input)}` })
    .min(min, { error: (issue) => `${rule}, got ${describe(issue.input)}` })
    .max(max, { error: (issue) => `${rule}, got ${describe(issue.input)}` })
    .default(fallback);
}

export function fractionParam(fallback: number, min = 0, max = 1) {
  const rule = `must be a number between ${min} and ${max}`;
  return z
    .number({ error: (issue) => `${rule}, got ${describe(issue.input)}` })
    .min(min, { error: (issue) => `${rule}, got ${describe(issue.input)}` })
    .max(max, { error: (issue) => `${rule}, got ${describe(issue.input)}` })
    .default(fallback);
}

/** A strict params object: unknown keys are reported with the allowed ones. */
export function paramsSchema<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape);
}
