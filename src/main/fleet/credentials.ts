/**
 * The broker's address and credentials: user and password from the URL's
 * userinfo, else from the settings and the environment. Only `brokerLabel`
 * (scheme, host, port) is ever logged.
 */
import { readFileSync } from 'node:fs';

export interface BrokerAccess {
  /** The URL without userinfo. */
  url: string;
  username: string | null;
  password: string | null;
}

export class CredentialsError extends Error {
  readonly code = 'invalid_setting';
}

export interface CredentialSources {
  mqttUrl: string;
  mqttUsername: string | null;
  mqttPasswordFile: string | null;
  env: NodeJS.ProcessEnv;
}

export function brokerAccess(sources: CredentialSources): BrokerAccess {
  const url = new URL(sources.mqttUrl);
  const fromUrlUser = url.username ? decodeURIComponent(url.username) : null;
  const fromUrlPassword = url.password ? decodeURIComponent(url.password) : null;
  url.username = '';
  url.password = '';
  return {
    url: url.toString(),
    username: fromUrlUser ?? sources.mqttUsername ?? nonEmpty(sources.env.STATION_MQTT_USERNAME),
    password: fromUrlPassword ?? passwordFrom(sources),
  };
}

function passwordFrom(sources: CredentialSources): string | null {
  const fromEnv = nonEmpty(sources.env.STATION_MQTT_PASSWORD);
  if (fromEnv !== null) return fromEnv;
  if (sources.mqttPasswordFile === null) return null;
  try {
    return readFileSync(sources.mqttPasswordFile, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new CredentialsError(
      `Cannot read the MQTT password file ${sources.mqttPasswordFile} (${code}): check mqttPasswordFile / STATION_MQTT_PASSWORD_FILE`,
    );
  }
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

/** What logs and /healthz may say about the broker: scheme, host and port only. */
export function brokerLabel(mqttUrl: string): string {
  const url = new URL(mqttUrl);
  return `${url.protocol}//${url.host}`;
}
