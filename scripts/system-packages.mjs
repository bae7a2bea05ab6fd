// The Debian/Ubuntu packages the tests start for real, each with how to tell
// it is there. `npm run test:setup` installs them (so does .ci/run, through
// it); `npm test` first checks them and stops at once, naming what is missing.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

// Checks look under this root ('/' normally; the tests point it at an empty directory).
const root = process.env.SYSTEM_PACKAGES_ROOT ?? '/';

const executable = (path) => () => {
  try {
    accessSync(join(root, path), constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const python = (code) => () =>
  executable('/usr/bin/python3')() &&
  spawnSync(join(root, '/usr/bin/python3'), ['-c', code], { stdio: 'ignore' }).status === 0;

/** `packages` are installed together; `present()` says whether the tests can use them. */
export const SYSTEM_PACKAGES = [
  {
    packages: ['chromium'],
    for: 'the UI tests (Playwright)',
    present: executable('/usr/bin/chromium'),
  },
  {
    packages: ['prometheus'],
    for: 'the Prometheus scrape and alert-rule test',
    present: () => executable('/usr/bin/prometheus')() && executable('/usr/bin/promtool')(),
  },
  { packages: ['ffmpeg'], for: 'the camera bridge tests', present: executable('/usr/bin/ffmpeg') },
  {
    packages: ['python3', 'python3-websockets'],
    for: 'the Python example client test',
    present: python('import websockets'),
  },
  {
    packages: [
      'python3-gi',
      'gir1.2-gst-rtsp-server-1.0',
      'gstreamer1.0-plugins-base',
      'gstreamer1.0-plugins-good',
    ],
    for: 'the RTSP camera test',
    present: python(
      "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import Gst, GstRtspServer; Gst.init(None); assert Gst.ElementFactory.find('rtpjpegpay') and Gst.ElementFactory.find('jpegenc')",
    ),
  },
  {
    packages: ['mosquitto', 'mosquitto-clients'],
    for: 'the fleet tests (an MQTT broker of their own)',
    present: () => executable('/usr/sbin/mosquitto')() && executable('/usr/bin/mosquitto_sub')(),
  },
  {
    packages: ['systemd'],
    for: 'the systemd unit check (systemd-analyze)',
    present: executable('/usr/bin/systemd-analyze'),
  },
  // Not needed by a test, installed for a faithful station: fonts for drawn text,
  // and the native JPEG decoder's compiler and library (the WebAssembly build is the fallback).
  { packages: ['fonts-dejavu-core', 'g++', 'make', 'libturbojpeg0-dev'], for: null, present: null },
];

/** Every package name, in order, for one `apt-get install`. */
export function allPackageNames() {
  return SYSTEM_PACKAGES.flatMap((entry) => entry.packages);
}

/** The needed entries that are not installed. */
export function missingPackages() {
  return SYSTEM_PACKAGES.filter((entry) => entry.present && !entry.present());
}
