#!/usr/bin/env bash
# Generates a camera-like test clip from Debian packages only, reproducibly:
#   bench/camera-clip.sh OUT.mp4 [SECONDS=84]
# darknet's real photos (people, dog, horses, giraffe, kite, eagle, The Scream), each filmed with a slow zoom
# (1280x720, 25 fps, H.264 with B-frames like a camera/phone encode), over real speech: pocketsphinx-testdata's
# LibriVox recordings, one second apart, looped to the clip's length (AAC). Same inputs, same file every time.
set -euo pipefail
out="${1:?usage: bench/camera-clip.sh OUT.mp4 [SECONDS]}"; secs="${2:-84}"
photos=(person dog horses giraffe kite eagle scream)
per=$(( (secs + ${#photos[@]} - 1) / ${#photos[@]} ))   # seconds per photo
frames=$(( per * 25 ))
args=(); fc=""
for i in "${!photos[@]}"; do
  args+=(-loop 1 -framerate 25 -t "$per" -i "/usr/share/darknet/data/${photos[$i]}.jpg")
  # a slow zoom over the photo's 16:9 centre (about 12 % over a photo's time)
  fc+="[$i:v]scale=1600:900:force_original_aspect_ratio=increase,crop=1600:900,zoompan=z='1+0.12*on/$frames':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=1280x720:fps=25,setsar=1[v$i];"
done
for i in "${!photos[@]}"; do fc+="[v$i]"; done
fc+="concat=n=${#photos[@]}:v=1:a=0[v];"
n=${#photos[@]}; k=0
for w in /usr/share/pocketsphinx/test/data/librivox/*.wav; do
  args+=(-i "$w"); fc+="[$((n + k)):a]apad=pad_dur=1[a$k];"; k=$((k + 1))
done
for j in $(seq 0 $((k - 1))); do fc+="[a$j]"; done
fc+="concat=n=$k:v=0:a=1,aloop=loop=-1:size=2147483647,atrim=duration=$secs[a]"
ffmpeg -nostdin -v error -y "${args[@]}" -filter_complex "$fc" -map '[v]' -map '[a]' -t "$secs" \
  -c:v libx264 -preset veryfast -bf 3 -pix_fmt yuv420p -c:a aac -b:a 96k "$out"
