/** A pipeline dropdown that runs an action and shows its error in words. */
import { memo, useState } from 'react';
import type { ActionResult, PipelineSummary } from '../../../shared/contract';
import { PipelineIdInput, type PipelineId } from '../../../shared/inputs';

interface Props {
  label: string;
  value: string;
  pipelines: readonly PipelineSummary[];
  onChoose: (pipelineId: PipelineId) => Promise<ActionResult>;
  testId?: string;
}

function PipelineSelectView({ label, value, pipelines, onChoose, testId }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const known = pipelines.some((p) => p.id === value);

  async function choose(next: string): Promise<void> {
    const pipelineId = PipelineIdInput.safeParse(next);
    if (!pipelineId.success) return setError(`Not a pipeline id: ${next}`);
    setBusy(true);
    setError(null);
    try {
      const result = await onChoose(pipelineId.data);
      if (!result.ok) setError(result.message);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="pipeline-select">
      <select
        aria-label={label}
        data-testid={testId}
        value={value}
        disabled={busy}
        onChange={(e) => void choose(e.target.value)}
      >
        {!known && <option value={value}>{value} (not loaded)</option>}
        {pipelines.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name && p.name !== p.id ? `${p.id} — ${p.name}` : p.id}
          </option>
        ))}
      </select>
      {error && (
        <p className="action-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export const PipelineSelect = memo(PipelineSelectView);
