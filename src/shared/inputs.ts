/**
 * The input shapes of the station's operations, one zod schema each, with the
 * rule in words: the IPC gatekeeper and the HTTP router validate with these,
 * by the names the operation table gives them.
 */
import { z } from 'zod';
import { CAMERA_ID_PATTERN, CAMERA_ID_RULE } from './protocol';
import { MAX_FRAMES_PAGE } from './recordings';

/**
 * The three ids that travel together everywhere are branded: a string becomes a
 * CameraId, SessionId or PipelineId only by passing its schema (at a boundary:
 * the IPC gatekeeper, the HTTP router, the camera's hello, a form), so handing
 * a session id where a camera id belongs is a compile error.
 */
export const SessionIdInput = z.string().min(1).max(128).brand<'SessionId'>();
export const PipelineIdInput = z.string().min(1).max(200).brand<'PipelineId'>();
export const CameraIdInput = z
  .string()
  .regex(CAMERA_ID_PATTERN, CAMERA_ID_RULE)
  .brand<'CameraId'>();
export type SessionId = z.output<typeof SessionIdInput>;
export type PipelineId = z.output<typeof PipelineIdInput>;
export type CameraId = z.output<typeof CameraIdInput>;
export const SourceIdInput = z.string().min(1).max(128);
export const AlertIdInput = z.string().min(1).max(128);
export const RecordedFileInput = z.string().min(1).max(64);
export const PortInput = z.number().int().min(0).max(65535);
export const EnabledInput = z.boolean();
export const OffsetInput = z.number().int().min(0);
export const LimitInput = z.number().int().min(0).max(MAX_FRAMES_PAGE);
export const ExportKindInput = z.enum(['zip', 'mp4']);
const IsoTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 time, e.g. 2026-01-05T10:00:00Z',
});
/** The whole session when null. */
export const ExportRangeInput = z.strictObject({ from: IsoTime, to: IsoTime }).nullable();
export const NewSourceInput = z.strictObject({
  url: z.string().min(1).max(2048),
  camera_id: CameraIdInput,
  pipeline_id: PipelineIdInput.nullable().optional(),
  fps: z.number().gt(0).max(120).nullable().optional(),
});

/** A URL whose protocol is one of `protocols` (`'mqtt:'`, `'ws:'`…), at most `maxLength` long. */
export function urlInput(protocols: readonly string[], maxLength = 2048) {
  return z
    .string()
    .max(maxLength)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL`,
    );
}

/** The first broken rule of a failed parse, as `where: rule` (where: the argument and field). */
export function firstIssue(error: z.ZodError, name?: string): string {
  const issue = error.issues[0];
  const where = [...(name === undefined ? [] : [name]), ...(issue?.path ?? [])].join('.');
  return `${where || 'value'}: ${issue?.message ?? 'invalid'}`;
}

/** The shapes by the names the operation table gives them. */
export const Inputs = {
  sessionId: SessionIdInput,
  pipelineId: PipelineIdInput,
  cameraId: CameraIdInput,
  sourceId: SourceIdInput,
  alertId: AlertIdInput,
  recordedFile: RecordedFileInput,
  port: PortInput,
  enabled: EnabledInput,
  offset: OffsetInput,
  limit: LimitInput,
  exportKind: ExportKindInput,
  exportRange: ExportRangeInput,
  newSource: NewSourceInput,
} as const;
export type InputShape = keyof typeof Inputs;
