/**
 * The camera page: pick a device, a name, a pipeline, a resolution and a
 * rate, then stream JPEGs encoded in the page to the station that served it.
 */
import './camera.css';
import type { PipelineSummary } from '../../shared/contract';
import { operationPath } from '../../shared/operations';
import { CAMERA_ID_PATTERN, CAMERA_ID_RULE } from '../../shared/protocol';
import { cameraAccess, describeMediaError, listCameras, openCamera, stopStream } from './devices';
import { createJpegEncoder } from './jpeg-encoder';
import { createStreamClient, type StreamClient } from './stream-client';
import { offerPeers } from './handoff';
import { byId, renderStats } from './view';

const STORAGE_KEY = 'foregsyte-camera-settings';

interface Settings {
  deviceId: string;
  name: string;
  pipeline: string;
  resolution: string;
  fps: string;
  quality: string;
}

const form = byId<HTMLFormElement>('settings');
const deviceSelect = byId<HTMLSelectElement>('device');
const nameInput = byId<HTMLInputElement>('name');
const pipelineSelect = byId<HTMLSelectElement>('pipeline');
const resolutionSelect = byId<HTMLSelectElement>('resolution');
const fpsInput = byId<HTMLInputElement>('fps');
const qualityInput = byId<HTMLInputElement>('quality');
const tokenInput = byId<HTMLInputElement>('token');
const startButton = byId<HTMLButtonElement>('start');
const stopButton = byId<HTMLButtonElement>('stop');
const allowButton = byId<HTMLButtonElement>('allow');
const preview = byId<HTMLVideoElement>('preview');
const message = byId('message');
const handoff = byId('handoff');

let client: StreamClient | null = null;
let media: MediaStream | null = null;
const encoder = createJpegEncoder();

function loadSettings(): Partial<Settings> {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<Settings>;
  } catch {
    return {};
  }
}

function saveSettings(): void {
  const settings: Settings = {
    deviceId: deviceSelect.value,
    name: nameInput.value,
    pipeline: pipelineSelect.value,
    resolution: resolutionSelect.value,
    fps: fpsInput.value,
    quality: qualityInput.value,
  };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
}

function option(value: string, label: string): HTMLOptionElement {
  const element = document.createElement('option');
  element.value = value;
  element.textContent = label;
  return element;
}

async function fillDevices(selected: string | undefined): Promise<void> {
  const cameras = await listCameras();
  deviceSelect.replaceChildren(...cameras.map((c) => option(c.deviceId, c.label)));
  if (cameras.length === 0) deviceSelect.append(option('', 'No camera found'));
  if (selected && cameras.some((c) => c.deviceId === selected)) deviceSelect.value = selected;
  // Labels stay empty until access is granted once.
  allowButton.hidden =
    cameras.length > 0 && cameras.every((c) => c.label && !/^Camera \d+$/.test(c.label));
}

async function fillPipelines(selected: string | undefined): Promise<void> {
  pipelineSelect.replaceChildren(option('', "Station's default"));
  try {
    const token = tokenInput.value.trim();
    const response = await fetch(operationPath('listPipelines'), {
      // Cameras may read the list with the camera token (docs/security.md).
      headers: {
        Accept: 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const pipelines = (await response.json()) as PipelineSummary[];
    pipelineSelect.append(...pipelines.map((p) => option(p.id, `${p.name} (${p.id})`)));
    if (selected && pipelines.some((p) => p.id === selected)) pipelineSelect.value = selected;
  } catch (err) {
    message.textContent = `Could not load the pipeline list (${err instanceof Error ? err.message : String(err)}); the station's default will be used.`;
  }
}

function setRunning(running: boolean): void {
  startButton.disabled = running;
  stopButton.disabled = !running;
  for (const input of [
    deviceSelect,
    nameInput,
    pipelineSelect,
    resolutionSelect,
    fpsInput,
    qualityInput,
    tokenInput,
  ]) {
    input.disabled = running;
  }
}

async function start(): Promise<void> {
  const name = nameInput.value.trim();
  if (!CAMERA_ID_PATTERN.test(name)) {
    message.textContent = `The camera name: ${CAMERA_ID_RULE}.`;
    return;
  }
  const fps = Number(fpsInput.value);
  if (!(fps > 0 && fps <= 30)) {
    message.textContent = 'Frames per second: a number from 0.5 to 30.';
    return;
  }
  const quality = Math.min(0.95, Math.max(0.3, Number(qualityInput.value) || 0.8));
  const [width = 640, height = 480] = resolutionSelect.value.split('x').map(Number);
  saveSettings();
  setRunning(true);
  try {
    media = await openCamera({ deviceId: deviceSelect.value || undefined, width, height, fps });
  } catch (err) {
    message.textContent = describeMediaError(err);
    setRunning(false);
    return;
  }
  preview.srcObject = media;
  await preview.play().catch(() => undefined);
  // Device labels appear once access is granted.
  void fillDevices(deviceSelect.value);
  client = createStreamClient({
    cameraId: name,
    pipelineId: pipelineSelect.value,
    token: tokenInput.value,
    fps,
    grab: () => encoder.encode(preview, quality),
    onChange: (stats) => {
      renderStats(stats);
      if (stats.state === 'stopped' || stats.state === 'error') stop(false);
      if (stats.state === 'streaming') handoff.hidden = true;
    },
    onRefused: () => void offerPeers(handoff),
  });
  client.start();
}

function stop(byUser: boolean): void {
  if (byUser) client?.stop();
  client = null;
  stopStream(media);
  media = null;
  preview.srcObject = null;
  setRunning(false);
}

async function init(): Promise<void> {
  const saved = loadSettings();
  nameInput.value = saved.name ?? `browser-${Math.random().toString(36).slice(2, 6)}`;
  if (saved.resolution) resolutionSelect.value = saved.resolution;
  if (saved.fps) fpsInput.value = saved.fps;
  if (saved.quality) qualityInput.value = saved.quality;
  const pipelines = fillPipelines(saved.pipeline);

  const access = cameraAccess();
  if (access !== 'available') {
    const banner = byId('insecure');
    byId('origin').textContent = window.location.origin;
    banner.hidden = false;
    if (access === 'unsupported') {
      banner.textContent = 'This browser does not offer camera access to web pages.';
    }
    startButton.disabled = true;
    allowButton.hidden = true;
    await pipelines;
    return;
  }
  allowButton.addEventListener('click', () => {
    void openCamera({ width: 640, height: 480, fps: 5 })
      .then((stream) => {
        stopStream(stream);
        return fillDevices(deviceSelect.value);
      })
      .catch((err: unknown) => {
        message.textContent = describeMediaError(err);
      });
  });
  navigator.mediaDevices.addEventListener(
    'devicechange',
    () => void fillDevices(deviceSelect.value),
  );
  await Promise.all([pipelines, fillDevices(saved.deviceId)]);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void start();
});
stopButton.addEventListener('click', () => stop(true));
window.addEventListener('pagehide', () => stop(true));
void init();
