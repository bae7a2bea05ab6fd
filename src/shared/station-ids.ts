/**
 * Where the station core hands its own ids to windows (session info, camera
 * records, pipeline summaries, sources, alerts, recordings). Each id was
 * checked when it came in: a camera's id against CAMERA_ID_PATTERN in its
 * hello, a pipeline's id by the pipeline file's schema, a session id is the
 * station's own UUID, a recording's folders by their name rules. Everything else
 * (windows, HTTP, forms) gets branded ids only by parsing them (./inputs);
 * ESLint keeps this module out of the renderer and the preload.
 */
import type { CameraId, PipelineId, SessionId } from './inputs';

export const stationCameraId = (id: string) => id as CameraId;
export const stationSessionId = (id: string) => id as SessionId;
export const stationPipelineId = (id: string) => id as PipelineId;
