#!/usr/bin/env bash
# Placeholder until the sample-media generator lands: says so plainly.
[ "${1:-}" = "--if-missing" ] && exit 0
echo "sample-media: generator not written yet" >&2; exit 1
