{
  "targets": [
    {
      "target_name": "turbo_decode",
      "sources": ["turbo_decode.c", "analyse.c", "pixels.c", "handles.c"],
      "cflags": ["-O3", "-Wall"],
      "libraries": ["-lturbojpeg", "-lm"]
    }
  ]
}
