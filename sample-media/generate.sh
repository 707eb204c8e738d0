#!/usr/bin/env bash
# Generates Longshot's sample media from Debian's ffmpeg, flite and DejaVu fonts (no downloads):
#   lecture.mp4         ~3 min "lecture": titled slides that change at known times, flite narration of known
#                       sentences, and a 20 s stretch of moving coloured shapes (854x480 H.264 + AAC)
#   lecture.truth.json  ground truth: slide texts and spans, spoken sentences and spans (measured from the
#                       sample counts of the flite audio), the shapes stretch, the excerpt
#   excerpt.mp4/.srt    the first 40 s as a separate clip with a sidecar .srt (one cue per spoken sentence)
# Usage: sample-media/generate.sh [--if-missing]   (--if-missing: do nothing, silently, when all files exist)
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUTPUTS=(lecture.mp4 lecture.truth.json excerpt.mp4 excerpt.srt)
# shellcheck source=lib.sh
. "$DIR/lib.sh"
generator_args 2,9 "$@"
need_tools_and_fonts DejaVuSans.ttf DejaVuSans-Bold.ttf

RATE=16000            # audio sample rate, Hz (what the ASR backends consume)
DURATION=180          # seconds
FPS=15
GAP=1.0               # seconds of silence between sentences
EXCERPT_END=40
SHAPES_START=150 SHAPES_END=170
SHAPES_TEXT="A red circle moves from left to right, a blue square moves from top to bottom and a yellow triangle moves from right to left on a dark grey background."

# The script of the lecture. "slide|start|end|title|line|line..." opens a slide; "say|voice|sentence" lines after
# it are spoken in order from one second into the slide (flite voices rms and kal16: PocketSphinx reads both well);
# "shapes|start|end" opens the moving-shapes stretch. Sentences are spelled as spoken (the ASR truth).
read -r -d '' SCRIPT <<'EOF' || true
slide|0|22|Project Heron|River monitoring lecture|Speaker: Dr. Maria Lopez|Delft, March 2024
say|rms|Welcome to this lecture about project heron.
say|rms|My name is maria lopez and I lead the river monitoring team.
say|rms|Project heron measures water quality in rivers across europe.
say|rms|Today I will talk about the budget, the timeline and the sensors.
slide|22|46|Budget Overview|Total budget: 4.2 million euros|Sensors: 1.5 million euros|Software: 900,000 euros
say|kal16|The total budget of project heron is four point two million euros.
say|kal16|One point five million euros pays for the sensors.
say|kal16|The software costs nine hundred thousand euros.
say|kal16|The rest of the money pays for field work and travel.
slide|46|72|Timeline|Phase one ends in June 2025|Field tests on the river Rhine|Final report due May 2026
say|rms|The first phase of the project ends in june twenty twenty five.
say|rms|After that we run field tests on the river rhine.
say|rms|The final report is due in may twenty twenty six.
say|rms|Every milestone is reviewed by an external panel.
slide|72|98|Sensor Network|120 solar powered buoys|One reading every 15 minutes|Battery life: three years
say|kal16|The sensor network has one hundred and twenty solar powered buoys.
say|kal16|Each buoy sends a reading every fifteen minutes.
say|kal16|The batteries last for about three years.
say|kal16|A buoy that stops reporting is replaced within a week.
slide|98|124|First Results|Nitrate levels down 18 percent|Oxygen levels stable all summer|Cleanest site: Lake Constance
say|rms|The first results are encouraging.
say|rms|Nitrate levels went down by eighteen percent.
say|rms|Oxygen levels stayed stable during the summer.
say|rms|The cleanest site we measured is lake constance.
slide|124|150|Partners|University of Delft builds the sensors|Green River Foundation: outreach|City of Basel hosts the data center
say|kal16|We work with three partners.
say|kal16|The university of delft builds the sensors.
say|kal16|The green river foundation pays for public outreach.
say|kal16|The city of basel hosts our data center.
shapes|150|170
say|rms|Now look at the moving shapes on the screen.
say|rms|A red circle moves from left to right.
slide|170|180|Summary|Budget: 4.2 million euros|Final report due May 2026|Thank you for listening
say|rms|Thank you for listening to this lecture.
EOF

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "sample-media: generating lecture.mp4, lecture.truth.json, excerpt.mp4, excerpt.srt in $DIR" >&2

srt_time() { awk -v t="$1" 'BEGIN { ms = int(t * 1000 + 0.5); printf "%02d:%02d:%02d,%03d", ms / 3600000, (ms / 60000) % 60, (ms / 1000) % 60, ms % 1000 }'; }

# --- narration: one flite WAV per sentence, laid out on a sample-exact raw track ----------------------------
track="$TMP/track.raw"; : >"$track"
pos=0                     # samples written so far
block_start=0 block_end=0 n=0
slides_json="" speech_json="" filters="" srt="" cue=0
while IFS='|' read -r kind a b c rest; do
  case "$kind" in
    slide | shapes)
      block_start=$a block_end=$b
      next=$(samples "$((block_start + 1))")
      if [ "$kind" = slide ]; then
        IFS='|' read -r -a lines <<<"$rest"
        lines=("$c" "${lines[@]}")   # title first
        title=${lines[0]}; body=("${lines[@]:1}")
        lj=""; for l in "${body[@]}"; do lj+="${lj:+,}$(json_str "$l")"; done
        slides_json+="${slides_json:+,}"$'\n    '"{\"start\":$a.0,\"end\":$b.0,\"title\":$(json_str "$title"),\"lines\":[$lj]}"
        printf '%s' "$title" >"$TMP/t$a.txt"
        en="enable='gte(t,$a)*lt(t,$b)'"
        filters+=",drawtext=fontfile=$FONT_DIR/DejaVuSans-Bold.ttf:textfile=$TMP/t$a.txt:fontsize=46:fontcolor=white:x=(w-text_w)/2:y=60:$en"
        filters+=",drawbox=x=60:y=130:w=734:h=4:color=white@0.8:t=fill:$en"
        i=0
        for l in "${body[@]}"; do
          printf '%s' "$l" >"$TMP/l$a-$i.txt"
          filters+=",drawtext=fontfile=$FONT_DIR/DejaVuSans.ttf:textfile=$TMP/l$a-$i.txt:fontsize=34:fontcolor=white:x=70:y=$((180 + i * 75)):$en"
          i=$((i + 1))
        done
      fi
      ;;
    say)
      voice=$a text=$b n=$((n + 1))
      speak "$n" "$voice" "$text" slide/stretch
      if awk -v e="$end" -v x="$EXCERPT_END" 'BEGIN { exit !(e <= x) }'; then
        cue=$((cue + 1))
        srt+="$cue"$'\n'"$(srt_time "$start") --> $(srt_time "$end")"$'\n'"$text"$'\n\n'
      fi
      next=$((pos + $(samples "$GAP")))
      ;;
  esac
done <<<"$SCRIPT"
total=$((DURATION * RATE))
[ "$pos" -le "$total" ] || die "narration runs past ${DURATION}s"
head -c $(((total - pos) * 2)) /dev/zero >>"$track"

# --- video: slides (drawtext), then the shapes stretch (overlays whose positions are functions of t) ----------
S0=$SHAPES_START S1=$SHAPES_END
sen="enable='gte(t,$S0)*lt(t,$S1)'"
cat >"$TMP/graph.txt" <<EOF
color=c=0x1f3b5c:s=854x480:r=$FPS:d=$DURATION${filters},drawbox=x=0:y=0:w=iw:h=ih:color=0x303030:t=fill:$sen[bg];
color=c=red:s=90x90:r=$FPS:d=$DURATION,format=rgba,geq=r='255':g='30':b='30':a='if(lte(hypot(X-44.5,Y-44.5),44),255,0)'[circle];
color=c=0x2050ff:s=80x80:r=$FPS:d=$DURATION,format=rgba[square];
color=c=yellow:s=90x80:r=$FPS:d=$DURATION,format=rgba,geq=r='250':g='220':b='30':a='if(gte(Y,2*abs(X-45)-10),255,0)'[tri];
[bg][circle]overlay=x='40+(t-$S0)*35':y=90:$sen[v1];
[v1][square]overlay=x=400:y='20+(t-$S0)*18':$sen[v2];
[v2][tri]overlay=x='720-(t-$S0)*30':y=330:$sen[v]
EOF
ffmpeg -nostdin -v error -y -f s16le -ar "$RATE" -ac 1 -i "$track" -filter_complex_script "$TMP/graph.txt" \
  -map '[v]' -map 0:a -c:v libx264 -preset medium -crf 30 -pix_fmt yuv420p -g $((FPS * 10)) \
  -c:a aac -b:a 40k -ar "$RATE" -ac 1 -t "$DURATION" -movflags +faststart -map_metadata -1 \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact "$TMP/lecture.mp4"
ffmpeg -nostdin -v error -y -i "$TMP/lecture.mp4" -t "$EXCERPT_END" -c:v libx264 -preset medium -crf 30 \
  -pix_fmt yuv420p -c:a aac -b:a 40k -ar "$RATE" -ac 1 -movflags +faststart -map_metadata -1 \
  -fflags +bitexact -flags:v +bitexact -flags:a +bitexact "$TMP/excerpt.mp4"

printf '%s' "$srt" >"$TMP/excerpt.srt"
cat >"$TMP/lecture.truth.json" <<EOF
{
  "video": "lecture.mp4",
  "durationSeconds": $DURATION.0,
  "generator": "sample-media/generate.sh (ffmpeg drawtext slides, flite narration; speech spans measured from the flite audio sample counts)",
  "slides": [$slides_json
  ],
  "speech": [$speech_json
  ],
  "shapes": [
    {"start": $SHAPES_START.0, "end": $SHAPES_END.0, "description": $(json_str "$SHAPES_TEXT")}
  ],
  "excerpt": {"video": "excerpt.mp4", "subtitles": "excerpt.srt", "start": 0.0, "end": $EXCERPT_END.0}
}
EOF
for f in "${OUTPUTS[@]}"; do mv -f "$TMP/$f" "$DIR/$f"; done
echo "sample-media: done ($(du -ch "${OUTPUTS[@]/#/$DIR/}" | tail -1 | cut -f1) in total)" >&2
