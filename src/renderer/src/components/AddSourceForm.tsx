/** The form that adds a source: URL or device, camera id, pipeline and rate, checked as typed. */
import { useState, type FormEvent } from 'react';
import type { PipelineSummary, StationBridge } from '../../../shared/contract';
import { CameraIdInput, PipelineIdInput } from '../../../shared/inputs';
import { useAction } from './use-action';

interface Props {
  bridge: StationBridge;
  pipelines: readonly PipelineSummary[];
  onDone: () => void;
}

/** The fields as typed, whether the id and rate are valid, and the submit that adds the source. */
function useSourceForm(bridge: StationBridge, onDone: () => void) {
  const [url, setUrl] = useState('');
  const [cameraId, setCameraId] = useState('');
  const [pipelineId, setPipelineId] = useState('');
  const [fps, setFps] = useState('');
  const [error, run] = useAction();
  const parsedId = CameraIdInput.safeParse(cameraId);
  const fpsValue = fps.trim() === '' ? null : Number(fps);
  const fpsValid = fpsValue === null || (Number.isFinite(fpsValue) && fpsValue > 0);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (!parsedId.success) return;
    const camera_id = parsedId.data;
    const added = await run(() =>
      bridge.addSource({
        url: url.trim(),
        camera_id,
        pipeline_id: pipelineId ? PipelineIdInput.parse(pipelineId) : null,
        fps: fpsValue,
      }),
    );
    if (added) onDone();
  }

  return {
    fields: { url, setUrl, cameraId, setCameraId, pipelineId, setPipelineId, fps, setFps },
    idValid: parsedId.success,
    fpsValid,
    error,
    submit,
  };
}

type Form = ReturnType<typeof useSourceForm>;

function UrlAndIdFields({ fields, idValid }: Pick<Form, 'fields' | 'idValid'>) {
  return (
    <>
      <label>
        URL or device
        <input
          required
          value={fields.url}
          onChange={(e) => fields.setUrl(e.target.value)}
          placeholder="rtsp://192.168.1.20/stream, http://cam/mjpg, /dev/video0"
          size={44}
        />
      </label>
      <label>
        Camera id
        <input
          required
          value={fields.cameraId}
          onChange={(e) => fields.setCameraId(e.target.value)}
          placeholder="bench-left"
          aria-invalid={fields.cameraId !== '' && !idValid}
          title="1-64 letters, digits, dot, dash or underscore"
        />
      </label>
    </>
  );
}

function PipelineAndRateFields({
  fields,
  fpsValid,
  pipelines,
}: Pick<Form, 'fields' | 'fpsValid'> & { pipelines: readonly PipelineSummary[] }) {
  return (
    <>
      <label>
        Pipeline
        <select value={fields.pipelineId} onChange={(e) => fields.setPipelineId(e.target.value)}>
          <option value="">station default</option>
          {pipelines.map((p) => (
            <option key={p.id} value={p.id}>
              {p.id}
            </option>
          ))}
        </select>
      </label>
      <label>
        fps
        <input
          inputMode="decimal"
          value={fields.fps}
          onChange={(e) => fields.setFps(e.target.value)}
          placeholder="as sent"
          size={6}
          aria-invalid={!fpsValid}
        />
      </label>
    </>
  );
}

export function AddSourceForm({ bridge, pipelines, onDone }: Props) {
  const form = useSourceForm(bridge, onDone);
  const { fields, idValid, fpsValid, error } = form;
  return (
    <form
      className="source-form"
      onSubmit={(e) => void form.submit(e)}
      data-testid="add-source-form"
    >
      <UrlAndIdFields fields={fields} idValid={idValid} />
      <PipelineAndRateFields fields={fields} fpsValid={fpsValid} pipelines={pipelines} />
      <button type="submit" disabled={!fields.url.trim() || !idValid || !fpsValid}>
        Add
      </button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
      {error && (
        <p className="action-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
