#!/usr/bin/env python3
"""A complete Foregsyte Station camera in Python.

Needs the `websockets` package: Debian's python3-websockets (10.x) or a current
release from PyPI (pip install websockets). Standard library otherwise.

    python3 examples/python_camera.py --station ws://127.0.0.1:8765 --camera bench-1 \\
        [--pipeline metadata] [--fps 5] [--count 100] [--token SECRET] frame1.jpg [frame2.jpg ...]

Sends the JPEG files in turn (one binary message per frame), prints every reply
as a JSON line, follows `slow_down` (sends at the suggested rate, raises its
rate again after two quiet intervals), and prints a summary line:
{"summary": {"sent": .., "processed": .., "failed": .., "dropped": .., "slow_downs": .., "final_fps": ..}}
Exit 0 when every frame was answered; 1 on an error or a close by the station.
"""

import argparse
import asyncio
import json
import os
import sys
import time
from urllib.parse import urlencode, urlsplit, urlunsplit

import websockets

STREAM_PATH = "/ws/video/stream"


def stream_url(station, camera, pipeline, token):
    parts = urlsplit(station)
    query = {"camera_id": camera}
    if pipeline:
        query["pipeline_id"] = pipeline
    if token:
        # websockets 10.x and 14+ name the extra-headers argument differently;
        # the query parameter works with both. The station never logs it.
        query["token"] = token
    return urlunsplit((parts.scheme, parts.netloc, STREAM_PATH, urlencode(query), ""))


def close_code(exc):
    """The close code the station sent, across websockets versions."""
    received = getattr(exc, "rcvd", None)
    if received is not None:
        return received.code
    return getattr(exc, "code", None)


class Camera:
    def __init__(self, args, frames):
        self.args = args
        self.frames = frames
        self.wanted_fps = args.fps
        self.fps = args.fps
        self.stats = {"sent": 0, "processed": 0, "failed": 0, "dropped": 0, "slow_downs": 0}
        self.last_warning_at = 0.0
        self.warning_interval = 1.0  # seconds; learnt from consecutive slow_down messages
        self.hello = asyncio.Event()
        self.done = asyncio.Event()

    def say(self, obj):
        if not self.args.quiet:
            print(json.dumps(obj), flush=True)

    def answered(self):
        return self.stats["processed"] + self.stats["failed"] + self.stats["dropped"]

    async def send_frames(self, ws):
        await self.hello.wait()
        try:
            while self.stats["sent"] < self.args.count:
                frame = self.frames[self.stats["sent"] % len(self.frames)]
                await ws.send(frame)  # bytes: one binary message = one JPEG
                self.stats["sent"] += 1
                self.maybe_recover()
                await asyncio.sleep(1.0 / self.fps)
        except websockets.exceptions.ConnectionClosed:
            pass  # the receiving side reports how the connection ended

    def maybe_recover(self):
        # Two intervals without slow_down: raise the rate by half, up to the wanted rate.
        now = time.monotonic()
        if self.fps >= self.wanted_fps or now - self.last_warning_at < 2 * self.warning_interval:
            return
        self.fps = min(self.wanted_fps, self.fps * 1.5)
        self.last_warning_at = now - self.warning_interval  # one raise per interval
        self.say({"rate": {"fps": self.fps}})

    def on_message(self, text):
        msg = json.loads(text)
        if "hello" in msg:
            self.say({"hello": msg["hello"]})
            self.hello.set()
        elif msg.get("warning") == "slow_down":
            self.stats["slow_downs"] += 1
            now = time.monotonic()
            if self.last_warning_at and now - self.last_warning_at < 10:
                self.warning_interval = now - self.last_warning_at
            self.last_warning_at = now
            self.fps = min(self.fps, max(0.5, float(msg["suggested_fps"])))
            self.say({"slow_down": {"drop_rate": msg["drop_rate"],
                                    "suggested_fps": msg["suggested_fps"], "now_fps": self.fps}})
        elif msg.get("dropped"):
            self.stats["dropped"] += 1
            self.say({"dropped": msg["frame_index"]})
        elif isinstance(msg.get("result"), dict) and msg["result"].get("error") == "pipeline_failure":
            self.stats["failed"] += 1
            self.say({"failed": msg["frame_index"], "node": msg["result"].get("node"),
                      "detail": msg["result"].get("detail")})
        elif "result" in msg:
            self.stats["processed"] += 1
            self.say({"frame_index": msg["frame_index"], "result": msg["result"],
                      "total_ms": msg.get("timings_ms", {}).get("total")})
        elif "error" in msg:
            # The station closes the connection right after an error message.
            print(f"station error: {msg['error']}: {msg.get('detail')}", file=sys.stderr)
        if self.stats["sent"] >= self.args.count and self.answered() >= self.args.count:
            self.done.set()

    async def run(self):
        url = stream_url(self.args.station, self.args.camera, self.args.pipeline, self.args.token)
        code = None
        try:
            async with websockets.connect(url, max_size=2**20) as ws:
                sender = asyncio.ensure_future(self.send_frames(ws))
                try:
                    async for message in ws:
                        if isinstance(message, str):
                            self.on_message(message)
                        if self.done.is_set():
                            break
                finally:
                    sender.cancel()
                # Every frame answered: we close normally. Otherwise the station
                # ended the connection (1001: it is shutting down).
                code = 1000 if self.done.is_set() else ws.close_code
        except websockets.exceptions.ConnectionClosed as exc:
            # 1001: station shutting down; 4001: a technician disconnected this camera;
            # 4002: another connection took this camera id.
            code = close_code(exc)
            print(f"closed by the station: {code}", file=sys.stderr)
        except websockets.exceptions.InvalidHandshake as exc:
            # 401: wrong token; 403: origin refused; 503: station full.
            # (10.x: InvalidStatusCode.status_code; 14+: InvalidStatus.response.status_code)
            status = getattr(exc, "status_code", None) or getattr(
                getattr(exc, "response", None), "status_code", None)
            print(f"station refused the connection: HTTP {status}", file=sys.stderr)
        except OSError as exc:
            print(f"connection error: {exc}", file=sys.stderr)
        summary = dict(self.stats, final_fps=self.fps, close_code=code)
        print(json.dumps({"summary": summary}), flush=True)
        return 0 if code == 1000 and self.answered() >= self.args.count else 1


def main():
    parser = argparse.ArgumentParser(description="Stream JPEG files to Foregsyte Station.")
    parser.add_argument("--station", default="ws://127.0.0.1:8765")
    parser.add_argument("--camera", default="python-camera")
    parser.add_argument("--pipeline")
    parser.add_argument("--fps", type=float, default=5.0)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--token", default=os.environ.get("STATION_TOKEN"))
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("frames", nargs="+", help="JPEG files, sent in turn")
    args = parser.parse_args()
    frames = []
    for path in args.frames:
        with open(path, "rb") as f:
            frames.append(f.read())
    sys.exit(asyncio.run(Camera(args, frames).run()))


if __name__ == "__main__":
    main()
