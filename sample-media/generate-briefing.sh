#!/usr/bin/env bash
# Generates a second evaluation clip, unlike the lecture, from Debian's ffmpeg, flite and DejaVu fonts (no downloads):
#   briefing.mp4         ~2 min town-council press briefing, news style: dark text on a light card, a red
#                        lower-third caption naming who is on screen, a "LIVE" bug and a clock in the corner, a
#                        footer with a press contact ("Contact: Dr. Ada Byrne, press office") and a page counter on
#                        every card; narration by flite voices slt, awb and kal (the lecture uses rms and kal16)
#   briefing.truth.json  ground truth in the shape of lecture.truth.json: each card's lines (title, body, lower
#                        third, then the furniture) and span, spoken sentences and spans (from the flite sample counts)
# Usage: sample-media/generate-briefing.sh [--if-missing]   (--if-missing: do nothing when both files exist)
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUTPUTS=(briefing.mp4 briefing.truth.json)
# shellcheck source=lib.sh
. "$DIR/lib.sh"
generator_args 2,8 "$@"
need_tools_and_fonts DejaVuSans.ttf DejaVuSans-Bold.ttf DejaVuSerif-Bold.ttf

RATE=16000 DURATION=126 FPS=15 GAP=0.8
CONTACT="Contact: Dr. Ada Byrne, press office"

# "card|start|end|lower third|title|line|line..." opens a card; "say|voice|sentence" lines after it are spoken in
# order from one second into the card. Sentences are spelled as spoken (the ASR truth).
read -r -d '' SCRIPT <<'EOF' || true
card|0|24|Mayor Helen Okafor|Riverside Town Council|Weekly press briefing|Thursday 14 November 2024|Town Hall, Riverside
say|slt|Good morning and welcome to the weekly press briefing.
say|slt|My name is Helen Okafor and I am the mayor of Riverside.
say|slt|Today we have news about the footbridge, the library and the flood defences.
card|24|50|Mayor Helen Okafor|New Footbridge|Footbridge over the Mill Canal opens 3 March 2025|Cost: 2.8 million pounds|Funded by the Regional Transport Fund
say|awb|The new footbridge over the mill canal opens on the third of march.
say|awb|It cost two point eight million pounds.
say|awb|The regional transport fund paid for the bridge.
card|50|76|Chief Librarian: Grace Tan|Library Hours|Opens at 8:30 am on weekdays|Closed on Sundays|Late opening until 9 pm on Fridays
say|kal|May I ask everyone to note the new library hours.
say|kal|The library opens at eight thirty in the morning on weekdays.
say|kal|On fridays it stays open until nine in the evening.
card|76|102|Dr. Samir Haddad, Chief Engineer|Flood Defences|42 new pumps installed|Largest pump station at the Old Harbour|Work finished in October
say|awb|We have installed forty two new pumps along the river.
say|awb|The largest pump station is at the old harbour.
say|awb|The work finished in october, two weeks early.
card|102|126|Mayor Helen Okafor|Questions|Next briefing: Thursday 21 November|Press questions to the town hall
say|slt|Are there any questions from the press?
say|slt|The next briefing is on thursday the twenty first of november.
say|slt|Thank you all for coming.
EOF

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "sample-media: generating briefing.mp4, briefing.truth.json in $DIR" >&2

text_file() { printf '%s' "$2" >"$TMP/$1.txt"; printf '%s' "$TMP/$1.txt"; }

track="$TMP/track.raw"; : >"$track"
pos=0 next=0 card=0 block_end=0
cards_json="" speech_json="" filters=""
while IFS='|' read -r kind a b c rest; do
  case "$kind" in
    card)
      card=$((card + 1)) block_end=$b
      next=$(samples "$((a + 1))")
      IFS='|' read -r -a body <<<"$rest"
      lower=$c title=${body[0]} body=("${body[@]:1}")
      clock=$(printf '10:%02d' "$((a / 60 + 2))")
      en="enable='gte(t,$a)*lt(t,$b)'"
      sans="fontfile=$FONT_DIR/DejaVuSans.ttf" bold="fontfile=$FONT_DIR/DejaVuSans-Bold.ttf"
      filters+=",drawtext=fontfile=$FONT_DIR/DejaVuSerif-Bold.ttf:textfile=$(text_file "t$card" "$title"):fontsize=40:fontcolor=0x14213d:x=50:y=70:$en"
      i=0
      for l in "${body[@]}"; do
        filters+=",drawtext=$sans:textfile=$(text_file "l$card-$i" "$l"):fontsize=27:fontcolor=0x14213d:x=50:y=$((150 + i * 50)):$en"
        i=$((i + 1))
      done
      filters+=",drawbox=x=0:y=338:w=iw:h=52:color=0xb3001b:t=fill:$en"
      filters+=",drawtext=$bold:textfile=$(text_file "n$card" "$lower"):fontsize=28:fontcolor=white:x=50:y=350:$en"
      filters+=",drawtext=$bold:textfile=$(text_file "c$card" "$clock"):fontsize=22:fontcolor=white:box=1:boxcolor=0x14213d:boxborderw=6:x=w-text_w-24:y=18:$en"
      filters+=",drawtext=$sans:textfile=$(text_file "p$card" "Page $card"):fontsize=18:fontcolor=0x555555:x=w-text_w-24:y=h-36:$en"
      lines=""; for l in "${body[@]}" "$lower" "LIVE" "$clock" "$CONTACT" "Page $card"; do lines+="${lines:+,}$(json_str "$l")"; done
      cards_json+="${cards_json:+,}"$'\n    '"{\"start\":$a.0,\"end\":$b.0,\"title\":$(json_str "$title"),\"lines\":[$lines]}"
      ;;
    say)
      voice=$a text=$b n=$((${n:-0} + 1))
      speak "$n" "$voice" "$text" card
      next=$((pos + $(samples "$GAP")))
      ;;
  esac
done <<<"$SCRIPT"
total=$((DURATION * RATE))
[ "$pos" -le "$total" ] || die "narration runs past ${DURATION}s"
head -c $(((total - pos) * 2)) /dev/zero >>"$track"

# the furniture shown on every card: LIVE bug, press contact footer
filters+=",drawtext=fontfile=$FONT_DIR/DejaVuSans-Bold.ttf:text=LIVE:fontsize=22:fontcolor=white:box=1:boxcolor=0xb3001b:boxborderw=6:x=24:y=18"
filters+=",drawtext=fontfile=$FONT_DIR/DejaVuSans.ttf:textfile=$(text_file contact "$CONTACT"):fontsize=18:fontcolor=0x555555:x=24:y=h-36"
ffmpeg -nostdin -v error -y -f s16le -ar "$RATE" -ac 1 -i "$track" \
  -f lavfi -i "color=c=0xeeeae0:s=854x480:r=$FPS:d=$DURATION" -filter_complex "[1:v]null${filters}[v]" \
  -map '[v]' -map 0:a -c:v libx264 -preset medium -crf 30 -pix_fmt yuv420p -g $((FPS * 10)) \
  -c:a aac -b:a 40k -ar "$RATE" -ac 1 -t "$DURATION" -movflags +faststart -map_metadata -1 \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact "$TMP/briefing.mp4"

cat >"$TMP/briefing.truth.json" <<EOF
{
  "video": "briefing.mp4",
  "durationSeconds": $DURATION.0,
  "generator": "sample-media/generate-briefing.sh (ffmpeg drawtext news-style cards with lower thirds, clock, contact footer and page counter; flite narration; speech spans measured from the flite audio sample counts)",
  "slides": [$cards_json
  ],
  "speech": [$speech_json
  ],
  "shapes": []
}
EOF
for f in "${OUTPUTS[@]}"; do mv -f "$TMP/$f" "$DIR/$f"; done
echo "sample-media: done ($(du -ch "${OUTPUTS[@]/#/$DIR/}" | tail -1 | cut -f1) in total)" >&2
