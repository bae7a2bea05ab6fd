/**
 * Grabs the current video frame and encodes it to JPEG in the page:
 * OffscreenCanvas.convertToBlob where available, else canvas.toBlob.
 */

export interface JpegEncoder {
  /** The frame as JPEG bytes, or null when the video has no frame yet. */
  encode(video: HTMLVideoElement, quality: number): Promise<ArrayBuffer | null>;
}

export function createJpegEncoder(): JpegEncoder {
  let offscreen: OffscreenCanvas | null = null;
  let canvas: HTMLCanvasElement | null = null;

  function drawOffscreen(video: HTMLVideoElement, w: number, h: number): OffscreenCanvas | null {
    if (!offscreen || offscreen.width !== w || offscreen.height !== h)
      offscreen = new OffscreenCanvas(w, h);
    const ctx = offscreen.getContext('2d');
    if (!ctx) return null;
    ctx.drawImage(video, 0, 0, w, h);
    return offscreen;
  }

  function drawCanvas(video: HTMLVideoElement, w: number, h: number): HTMLCanvasElement | null {
    canvas ??= document.createElement('canvas');
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.drawImage(video, 0, 0, w, h);
    return canvas;
  }

  return {
    async encode(video, quality) {
      const w = video.videoWidth;
      const h = video.videoHeight;
      if (!w || !h || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return null;
      if (typeof OffscreenCanvas !== 'undefined') {
        const target = drawOffscreen(video, w, h);
        if (target) {
          const blob = await target.convertToBlob({ type: 'image/jpeg', quality });
          return blob.arrayBuffer();
        }
      }
      const target = drawCanvas(video, w, h);
      if (!target) return null;
      const blob = await new Promise<Blob | null>((resolve) =>
        target.toBlob(resolve, 'image/jpeg', quality),
      );
      return blob ? blob.arrayBuffer() : null;
    },
  };
}
