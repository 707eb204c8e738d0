# Shared by the sample-media generators (generate.sh, generate-briefing.sh); sourced, not run. The caller sets DIR
# (its folder), OUTPUTS (the files it makes, relative to DIR), RATE (audio sample rate, Hz) and, before speaking,
# TMP (a scratch folder), track (the raw 16-bit mono track), pos (samples written), next (where the next sentence
# may start) and block_end (seconds: where the current slide or card ends).

die() { echo "sample-media: $*" >&2; exit 1; }

# generator_args USAGE_LINES ARGS...: "--if-missing" exits 0 when every file of OUTPUTS exists and is not empty; any
# other argument prints the caller's usage (its lines USAGE_LINES, e.g. 2,8) and exits 2.
generator_args() {
  local usage="$1" f missing=0
  shift
  if [ "${1:-}" = "--if-missing" ]; then
    for f in "${OUTPUTS[@]}"; do [ -s "$DIR/$f" ] || missing=1; done
    [ "$missing" = 1 ] || exit 0
  elif [ $# -gt 0 ]; then
    sed -n "${usage}p" "$0" >&2; exit 2
  fi
}

# need_tools_and_fonts FONT...: ffmpeg, flite and the named DejaVu fonts (in FONT_DIR), or one line naming the package.
FONT_DIR=/usr/share/fonts/truetype/dejavu
need_tools_and_fonts() {
  local tool f
  for tool in ffmpeg flite; do
    command -v "$tool" >/dev/null || die "'$tool' not found (Debian packages: see setup/debian-packages.txt)"
  done
  for f in "$@"; do
    [ -f "$FONT_DIR/$f" ] || die "font $FONT_DIR/$f not found (Debian package fonts-dejavu-core)"
  done
}

secs() { awk -v s="$1" -v r="$RATE" 'BEGIN { printf "%.3f", s / r }'; }
samples() { awk -v t="$1" -v r="$RATE" 'BEGIN { printf "%d", t * r + 0.5 }'; }
json_str() { # the texts are ours: refuse characters that would need escaping rather than escape them
  case "$1" in *'"'* | *'\'*) die "text must not contain quotes or backslashes: $1" ;; esac
  printf '"%s"' "$1"
}

# speak N VOICE TEXT BLOCK: flite says TEXT into $TMP/sN.raw, laid on the track at `next` (after silence), sample-exact;
# sets start and end (seconds), moves pos past it and appends it to speech_json. Dies if it ends later than 0.3 s
# before block_end (BLOCK names the block in that message).
speak() {
  local n="$1" voice="$2" text="$3" block="$4" len
  flite -voice "$voice" -t "$text" -o "$TMP/s$n.wav"
  ffmpeg -nostdin -v error -i "$TMP/s$n.wav" -ac 1 -ar "$RATE" -f s16le -acodec pcm_s16le "$TMP/s$n.raw"
  len=$(($(stat -c %s "$TMP/s$n.raw") / 2))
  [ "$next" -ge "$pos" ] || next=$pos
  head -c $(((next - pos) * 2)) /dev/zero >>"$track"
  cat "$TMP/s$n.raw" >>"$track"
  start=$(secs "$next") end=$(secs "$((next + len))")
  awk -v e="$end" -v b="$block_end" 'BEGIN { exit !(e <= b - 0.3) }' \
    || die "sentence \"$text\" ends at ${end}s, after its $block ends at ${block_end}s: shorten it"
  speech_json+="${speech_json:+,}"$'\n    '"{\"start\":$start,\"end\":$end,\"voice\":\"$voice\",\"text\":$(json_str "$text")}"
  pos=$((next + len))
}
