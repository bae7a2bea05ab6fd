import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { CameraBook, MAX_REMEMBERED_CAMERAS } from '../../../src/main/streaming/camera-book';
import { makeDataDir, removeDir } from '../../helpers/station';

let dir: string | null = null;
afterEach(() => {
  if (dir) removeDir(dir);
  dir = null;
});

function visit(book: CameraBook, cameraId: string, n: number): void {
  book.connected(cameraId, `s-${cameraId}-${n}`, '10.0.0.9:1234');
  book.disconnected(cameraId, `s-${cameraId}-${n}`, 1000, 'camera_closed');
}

describe('CameraBook bounds', () => {
  it('2,000 throwaway ids do not push real cameras out of the remembered list', () => {
    dir = makeDataDir();
    const forgotten: string[] = [];
    const book = new CameraBook(dir, pino({ level: 'silent' }), (id) => forgotten.push(id));
    visit(book, 'line-1', 1);
    visit(book, 'line-1', 2); // came back: a real camera
    visit(book, 'pinned-cam', 1);
    book.pin('pinned-cam', 'inspect');
    book.connected('online-cam', 's-online', '10.0.0.8:1');
    for (let i = 0; i < 2000; i++) visit(book, `junk-${i}`, 1);

    const ids = book.list().map((c) => c.camera_id);
    expect(ids.length).toBe(MAX_REMEMBERED_CAMERAS);
    expect(ids).toEqual(expect.arrayContaining(['line-1', 'pinned-cam', 'online-cam']));
    // The newest throwaway ids are kept, the oldest forgotten (and their series with them).
    expect(ids).toContain('junk-1999');
    expect(ids).not.toContain('junk-0');
    expect(forgotten).toContain('junk-0');
    expect(forgotten).not.toContain('line-1');
    book.saveNow();
  });
});
