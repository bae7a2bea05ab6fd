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
} as const;
