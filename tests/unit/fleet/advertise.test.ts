import { describe, expect, it } from 'vitest';
import { advertisedLinks } from '../../../src/main/fleet/advertise';
import { parseRefusal } from '../../../src/main/fleet/refusal';

describe('advertisedLinks', () => {
  it('follows STATION_ADVERTISE_URL, TLS included', () => {
    expect(advertisedLinks('https://st2.lab:8443', '0.0.0.0', 8765, ['10.0.0.2'])).toEqual({
      cameraUrl: 'wss://st2.lab:8443/ws/video/stream',
      dashboardUrl: 'https://st2.lab:8443/',
    });
  });

  it('uses the first LAN address for a wildcard bind, the bound address otherwise', () => {
    expect(advertisedLinks(null, '0.0.0.0', 8765, ['10.0.0.2', '192.168.1.4'])).toEqual({
      cameraUrl: 'ws://10.0.0.2:8765/ws/video/stream',
      dashboardUrl: 'http://10.0.0.2:8765/',
    });
    expect(advertisedLinks(null, '127.0.0.1', 4000, []).cameraUrl).toBe(
      'ws://127.0.0.1:4000/ws/video/stream',
    );
  });
});

describe('parseRefusal', () => {
  it('reads the peers of a full station, keeping only web-socket URLs', () => {
    const body = JSON.stringify({
      error: 'station_full',
      retry_after: 5,
      alternatives: [
        'ws://a:1/ws/video/stream',
        'http://b/',
        'javascript:x',
        7,
        'wss://c/ws/video/stream',
      ],
    });
    expect(parseRefusal(503, '5', body)).toEqual({
      status: 503,
      error: 'station_full',
      retryAfterS: 5,
      alternatives: ['ws://a:1/ws/video/stream', 'wss://c/ws/video/stream'],
    });
  });

  it('copes with an older station body or none', () => {
    expect(parseRefusal(503, '5', '{"error":"Service Unavailable"}').alternatives).toEqual([]);
    expect(parseRefusal(503, undefined, 'not json')).toEqual({
      status: 503,
      error: null,
      retryAfterS: null,
      alternatives: [],
    });
  });
});
