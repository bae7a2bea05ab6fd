import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { peerOf } from '../../../src/main/streaming/camera-peer';

function request(remoteAddress: string | undefined, remotePort: number | undefined) {
  return { socket: { remoteAddress, remotePort } } as unknown as IncomingMessage;
}

const url = (query: string) => new URL(`http://127.0.0.1:8080/stream${query}`);

describe('who a camera socket is', () => {
  it('takes the camera id it gives, and asks for alerts only with alerts=1', () => {
    expect(peerOf(request('::ffff:10.0.0.7', 51000), url('?camera_id=gate-1&alerts=1'))).toEqual({
      remote: '::ffff:10.0.0.7:51000',
      address: '10.0.0.7',
      cameraId: 'gate-1',
      invalidCameraId: false,
      wantsAlerts: true,
    });
    expect(peerOf(request('10.0.0.7', 1), url('?camera_id=gate-1&alerts=yes')).wantsAlerts).toBe(
      false,
    );
  });

  it('names a camera that gives no id by its address', () => {
    const peer = peerOf(request('::1', 40000), url(''));
    expect(peer).toMatchObject({ cameraId: '--1', address: '::1', invalidCameraId: false });
  });

  it('marks an id that breaks the rule, keeping it for the refusal', () => {
    const peer = peerOf(request('10.0.0.7', 1), url('?camera_id=' + encodeURIComponent('a b')));
    expect(peer).toMatchObject({ cameraId: 'a b', invalidCameraId: true });
  });

  it('says unknown for a socket that has lost its address', () => {
    expect(peerOf(request(undefined, undefined), url(''))).toMatchObject({
      remote: 'unknown:0',
      address: 'unknown',
      cameraId: 'unknown',
    });
  });
});
