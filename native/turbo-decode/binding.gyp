{
  "targets": [
    {
      "target_name": "turbo_decode",
      "sources": ["turbo_decode.c"],
      "cflags": ["-O2", "-Wall"],
      "libraries": ["-lturbojpeg", "-lm"]
    }
  ]
}
