#!/usr/bin/env bash
# Install the Debian packages the portal needs, when missing. As root on Debian only; elsewhere, say what is missing.
#   --runtime  only what `make run` needs (a CJK font for PDFs; WeasyPrint's Pango)
#   (default)  also what `make test` needs: PostgreSQL, Redis, libpq-dev, Chromium, poppler-utils (pdffonts)
set -euo pipefail

runtime=(fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
testing=(postgresql postgresql-client libpq-dev redis-server chromium poppler-utils)

wanted=("${runtime[@]}")
[[ ${1:-} == --runtime ]] || wanted+=("${testing[@]}")

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
((${#missing[@]} == 0)) && exit 0

if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "system-deps: please install: ${missing[*]}" >&2
  # The portal still serves without them (PDFs would lack the CJK font); the test suite needs them.
  [[ ${1:-} == --runtime ]] && exit 0
  exit 1
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
