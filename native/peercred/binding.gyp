{
  "targets": [
    { "target_name": "peercred", "sources": ["peercred.c"] }
  ]
}
