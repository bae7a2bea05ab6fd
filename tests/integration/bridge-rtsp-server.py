"""A real RTSP camera for the bridge tests: GStreamer's RTSP server with a live
test pattern as RTP/JPEG, on 127.0.0.1:PORT/live. Needs Debian's
gir1.2-gst-rtsp-server-1.0, gstreamer1.0-plugins-base and -good, python3-gi.

    /usr/bin/python3 bridge-rtsp-server.py PORT [WIDTH HEIGHT FPS]
"""

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

port, width, height, fps = (sys.argv[1:] + ["320", "240", "10"])[:4]
Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
# rtpjpegpay needs planar 4:2:0 input.
factory.set_launch(
    "( videotestsrc is-live=true pattern=ball ! "
    f"video/x-raw,format=I420,width={width},height={height},framerate={fps}/1 ! "
    "jpegenc ! rtpjpegpay name=pay0 pt=26 )"
)
factory.set_shared(True)
server.get_mount_points().add_factory("/live", factory)
if server.attach(None) == 0:
    print("could not listen", flush=True)
    sys.exit(1)
print(f"listening {port}", flush=True)
GLib.MainLoop().run()
