/** The `width` param shared by measuring nodes: the size they measure at. */
import { intParam } from '../params';

export const DEFAULT_ANALYSIS_WIDTH = 320;

/** 0 = measure the image as received; otherwise reduce it to at most this width first. */
export const analysisWidthParam = () => intParam(0, 4096, DEFAULT_ANALYSIS_WIDTH);

export const analysisWidth = (width: number): number | null => (width === 0 ? null : width);
