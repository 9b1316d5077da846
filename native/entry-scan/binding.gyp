{
  "targets": [
    {
      "target_name": "entry_scan",
      "sources": ["entry-scan.c"],
      "cflags": ["-O3"]
    }
  ]
}
