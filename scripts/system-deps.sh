#!/usr/bin/env bash
# Install the Debian packages Gongkai needs, or say which line to run.
#   scripts/system-deps.sh run    fonts and HarfBuzz subsetting (documents)
#   scripts/system-deps.sh test   plus chromium, poppler-utils and nginx (tests)
set -u
need=(fonts-noto-cjk libharfbuzz-subset0)
if [ "${1:-run}" = "test" ]; then
  need+=(chromium poppler-utils nginx)
fi
missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "安装系统软件包 (installing Debian packages): ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "安装失败，请手动运行：apt-get install -y ${missing[*]}" >&2; exit 1; }
else
  echo "缺少系统软件包 (missing Debian packages)。请以 root 身份运行："
  echo "  sudo apt-get install -y ${missing[*]}"
fi
exit 0
