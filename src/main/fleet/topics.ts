/** The fleet's MQTT topics (docs/fleet.md is their contract). */

export interface Topics {
  status(stationId: string): string;
  /** `<prefix>/stations/+/status`: every station's status. */
  allStatus: string;
  result(cameraId: string): string;
  event(cameraId: string): string;
  /** Each raise, acknowledgement and clear of a camera's alerts. */
  alert(cameraId: string): string;
  /** The station id of a status topic, or null when it is not one. */
  stationOfStatus(topic: string): string | null;
}

export function createTopics(prefix: string, stationId: string): Topics {
  const base = `${prefix}/stations`;
  const own = `${base}/${stationId}`;
  return {
    status: (id) => `${base}/${id}/status`,
    allStatus: `${base}/+/status`,
    result: (cameraId) => `${own}/cameras/${cameraId}/result`,
    event: (cameraId) => `${own}/cameras/${cameraId}/event`,
    alert: (cameraId) => `${own}/cameras/${cameraId}/alert`,
    stationOfStatus(topic) {
      if (!topic.startsWith(`${base}/`) || !topic.endsWith('/status')) return null;
      const id = topic.slice(base.length + 1, -'/status'.length);
      return id.length > 0 && !id.includes('/') ? id : null;
    },
  };
}
