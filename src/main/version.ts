/** The station's version, from package.json (bundled at build time). */
import pkg from '../../package.json';

export const STATION_VERSION: string = pkg.version;
