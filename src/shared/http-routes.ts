/** HTTP routes of the station (same port as the camera endpoint). */
export const HttpRoute = {
  metrics: '/metrics',
  healthz: '/healthz',
  snapshot: '/api/snapshot',
  events: '/api/events',
  sessions: '/api/sessions',
  cameras: '/api/cameras',
  pipelines: '/api/pipelines',
  pipelineErrors: '/api/pipelines/errors',
  defaultPipeline: '/api/default-pipeline',
  sessionPipeline: (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}/pipeline`,
  sessionDisconnect: (sessionId: string) =>
    `/api/sessions/${encodeURIComponent(sessionId)}/disconnect`,
  sessionThumbnail: (sessionId: string) =>
    `/api/sessions/${encodeURIComponent(sessionId)}/thumbnail.jpg`,
  sources: '/api/sources',
  sourceRemove: (sourceId: string) => `/api/sources/${encodeURIComponent(sourceId)}/remove`,
  sourceEnabled: (sourceId: string) => `/api/sources/${encodeURIComponent(sourceId)}/enabled`,
  cameraDismiss: (cameraId: string) => `/api/cameras/${encodeURIComponent(cameraId)}/dismiss`,
  recordings: '/api/recordings',
  recording: (cameraId: string, sessionId: string) =>
    `/api/recordings/${encodeURIComponent(cameraId)}/${encodeURIComponent(sessionId)}`,
  recordingFrames: (cameraId: string, sessionId: string) =>
    `${HttpRoute.recording(cameraId, sessionId)}/frames`,
  recordedFrame: (cameraId: string, sessionId: string, file: string) =>
    `${HttpRoute.recording(cameraId, sessionId)}/frames/${encodeURIComponent(file)}`,
  recordingExport: (cameraId: string, sessionId: string, kind: 'zip' | 'mp4') =>
    `${HttpRoute.recording(cameraId, sessionId)}/export.${kind}`,
  recordingDelete: (cameraId: string, sessionId: string) =>
    `${HttpRoute.recording(cameraId, sessionId)}/delete`,
  alerts: '/api/alerts',
  alertAcknowledge: (alertId: string) => `/api/alerts/${encodeURIComponent(alertId)}/acknowledge`,
  alertClear: (alertId: string) => `/api/alerts/${encodeURIComponent(alertId)}/clear`,
} as const;
