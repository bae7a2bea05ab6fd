/**
 * Is a camera's message a frame the station can take? Binary, not empty, a
 * structurally sound JPEG; otherwise the code, the words and the close code.
 */
import { CloseCode, type FrameRejectCode } from '../../shared/protocol';
import { checkJpeg, type JpegHeader } from '../pipeline/jpeg-header';

/** `header`: the one marker walk's result, handed on to the pipeline with the frame. */
export type FrameCheck =
  | { ok: true; header: JpegHeader }
  | { ok: false; code: FrameRejectCode; detail: string; closeCode: number };

export function checkFrame(data: Buffer, isBinary: boolean): FrameCheck {
  if (!isBinary) {
    return {
      ok: false,
      code: 'invalid_message',
      detail: 'Expected binary frame payload',
      closeCode: CloseCode.unsupportedData,
    };
  }
  if (data.length === 0) {
    return {
      ok: false,
      code: 'empty_frame',
      detail: 'Frame payload is empty',
      closeCode: CloseCode.invalidPayload,
    };
  }
  const jpeg = checkJpeg(data);
  if (!jpeg.ok) {
    return {
      ok: false,
      code: 'invalid_jpeg',
      detail: jpeg.detail,
      closeCode: CloseCode.invalidPayload,
    };
  }
  return { ok: true, header: jpeg.header };
}
