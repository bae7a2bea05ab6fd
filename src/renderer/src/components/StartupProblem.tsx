/**
 * Desktop only: the station could not start. A port taken offers another port; a
 * missing image decoder shows the commands that fix it.
 */
import { useState } from 'react';
import type { StartupProblem as Problem, StationBridge } from '../../../shared/contract';

interface Props {
  bridge: StationBridge;
  problem: Problem;
  onStarted: () => void;
}

export function StartupProblem({ bridge, problem, onStarted }: Props) {
  const [port, setPort] = useState(String(problem.port === 0 ? 8766 : problem.port + 1));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function restart(next: number): Promise<void> {
    if (!bridge.restartOnPort) return;
    setBusy(true);
    setError(null);
    const result = await bridge.restartOnPort(next);
    setBusy(false);
    if (result.ok) onStarted();
    else setError(result.message);
  }

  const portNumber = Number(port);
  const valid = Number.isInteger(portNumber) && portNumber >= 1 && portNumber <= 65535;

  if (problem.code === 'image_backend_missing') {
    return (
      <section className="startup-problem" role="alert" data-testid="startup-problem">
        <h2>The station cannot decode camera frames here</h2>
        <p>{problem.message}</p>
        {problem.fix && problem.fix.length > 0 && (
          <>
            <p className="muted">To fix it, run in a terminal:</p>
            <pre data-testid="startup-fix">{problem.fix.join('\n')}</pre>
          </>
        )}
      </section>
    );
  }

  return (
    <section className="startup-problem" role="alert" data-testid="startup-problem">
      <h2>
        {problem.code === 'port_in_use'
          ? 'The station’s port is in use'
          : 'The station did not start'}
      </h2>
      <p>{problem.message}</p>
      {problem.code === 'port_in_use' && (
        <p className="muted">
          Start on another port and point the cameras at it. To keep the choice, set{' '}
          <code>STATION_PORT</code> or <code>port</code> in the config file.
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) void restart(portNumber);
        }}
      >
        <label>
          Port{' '}
          <input
            inputMode="numeric"
            value={port}
            onChange={(e) => setPort(e.target.value)}
            aria-invalid={!valid}
          />
        </label>
        <button type="submit" disabled={busy || !valid}>
          Start on this port
        </button>
        <button type="button" disabled={busy} onClick={() => void restart(0)}>
          Any free port
        </button>
      </form>
      {error && <p className="action-error">{error}</p>}
    </section>
  );
}
