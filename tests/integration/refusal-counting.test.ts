/** A refused connection is not a rejected frame: the code and docs/protocol.md agree. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { disposeStation, startStation, TestCamera, type TestStation } from '../helpers/station';

const protocol = readFileSync(join(__dirname, '..', '..', 'docs', 'protocol.md'), 'utf8');
let s: TestStation | null = null;
afterEach(async () => {
  s = await disposeStation(s);
});

describe('invalid_pipeline and stream_frames_rejected_total', () => {
  it('a camera refused for its pipeline is not counted as a rejection', async () => {
    s = await startStation();
    const cam = new TestCamera(s.url({ pipeline_id: 'no-such-pipeline', camera_id: 'refused' }));
    expect((await cam.closed).code).toBe(1008);
    expect(cam.messages).toContainEqual(expect.objectContaining({ error: 'invalid_pipeline' }));
    const metrics = await (await fetch(s.http('/metrics'))).text();
    expect(metrics).not.toMatch(/stream_frames_rejected_total\{code="invalid_pipeline"\}/);
  });

  it('docs/protocol.md says so, and nowhere the opposite', () => {
    const sentences = protocol.replace(/\s+/g, ' ').split(/(?<=\.) /);
    const about = sentences.filter(
      (t) => t.includes('`invalid_pipeline`') && t.includes('stream_frames_rejected_total'),
    );
    expect(about.length).toBeGreaterThan(0);
    for (const sentence of about) expect(sentence).toMatch(/not in `stream_frames_rejected_total`/);
  });
});
