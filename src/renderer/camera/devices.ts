/** Camera devices: whether the browser offers them here, listing them, opening one. */

export type CameraAccess = 'available' | 'insecure_origin' | 'unsupported';

/** Browsers only expose cameras on secure origins (https, localhost). */
export function cameraAccess(): CameraAccess {
  if (!window.isSecureContext) return 'insecure_origin';
  if (!('mediaDevices' in navigator) || typeof navigator.mediaDevices.getUserMedia !== 'function') {
    return 'unsupported';
  }
  return 'available';
}

export interface CameraDevice {
  deviceId: string;
  label: string;
}

/** Video inputs; labels are empty until the user has granted access once. */
export async function listCameras(): Promise<CameraDevice[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'videoinput')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}

export interface OpenCameraOptions {
  deviceId?: string;
  width: number;
  height: number;
  fps: number;
}

export function openCamera(options: OpenCameraOptions): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    audio: false,
    video: {
      ...(options.deviceId ? { deviceId: { exact: options.deviceId } } : {}),
      width: { ideal: options.width },
      height: { ideal: options.height },
      frameRate: { ideal: Math.max(options.fps, 1) },
    },
  });
}

export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** A sentence for a getUserMedia failure. */
export function describeMediaError(err: unknown): string {
  const name = err instanceof DOMException ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
      return 'Camera access was refused. Allow it in the browser (the camera icon in the address bar) and try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera matches the choice. Pick another device or a lower resolution.';
    case 'NotReadableError':
      return 'The camera is busy or unavailable (another application may be using it).';
    default:
      return `The camera could not be opened: ${err instanceof Error ? err.message : String(err)}`;
  }
}
