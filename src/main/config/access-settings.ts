/**
 * The operator's secret (docs/security.md, Two roles): what guards actions and
 * reads from other machines. The camera token (STATION_TOKEN) is only what
 * cameras send; the two are never the same secret.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { SettingSpec } from './settings';

export interface AccessSettings {
  /** The operator token; prefer the environment or a file (argv is visible in `ps`). */
  adminToken: string | null;
  /** File holding the operator token (first line). */
  adminTokenFile: string | null;
  /** When set, `/metrics` answers only with it as a Bearer token (Prometheus `authorization`). */
  metricsToken: string | null;
}

export const ACCESS_DEFAULTS: AccessSettings = {
  adminToken: null,
  adminTokenFile: null,
  metricsToken: null,
};

export const ACCESS_SETTINGS: readonly SettingSpec[] = [
  {
    key: 'adminToken',
    env: 'STATION_ADMIN_TOKEN',
    flag: 'admin-token',
    describe:
      'operator secret for actions and reads from other machines (prefer the env or a file)',
    schema: z.string().min(12, 'must be at least 12 characters').nullable(),
    secret: true,
  },
  {
    key: 'adminTokenFile',
    env: 'STATION_ADMIN_TOKEN_FILE',
    flag: 'admin-token-file',
    describe: 'file holding the operator secret (its first line)',
    schema: z.string().min(1).nullable(),
  },
  {
    key: 'metricsToken',
    env: 'STATION_METRICS_TOKEN',
    flag: 'metrics-token',
    describe: 'Bearer token /metrics requires (default: none, firewall it)',
    schema: z.string().min(12, 'must be at least 12 characters').nullable(),
    secret: true,
  },
];

/** The operator token from the setting or its file; throws with the file and how to fix it. */
export function operatorToken(settings: AccessSettings): string | null {
  if (settings.adminToken !== null) return settings.adminToken;
  if (settings.adminTokenFile === null) return null;
  let text: string;
  try {
    text = readFileSync(settings.adminTokenFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(
      `Cannot read the operator token file ${settings.adminTokenFile} (${code}): check adminTokenFile / STATION_ADMIN_TOKEN_FILE`,
      { cause: err },
    );
  }
  const token = text.split(/\r?\n/)[0]!.trim();
  if (token.length < 12) {
    throw new Error(
      `The operator token in ${settings.adminTokenFile} is shorter than 12 characters: write a longer secret on its first line`,
    );
  }
  return token;
}
