#!/usr/bin/env bash
# Install the Debian packages Gongkai needs, or say which line to run.
#   scripts/system-deps.sh run    fonts and HarfBuzz subsetting (documents), Tesseract + chi_sim and LibreOffice (redaction)
#   scripts/system-deps.sh test   plus chromium, poppler-utils and nginx, and the two message brokers the
#                                 Celery tests run real workers on (Redis, RabbitMQ) unless they already
#                                 listen on 127.0.0.1:6379 and :5672
set -u
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
need=(fonts-noto-cjk libharfbuzz-subset0 tesseract-ocr tesseract-ocr-chi-sim libreoffice-writer-nogui libreoffice-calc-nogui)
brokers=()
if [ "${1:-run}" = "test" ]; then
  need+=(chromium poppler-utils nginx)
  listening 6379 || brokers+=(redis-server)
  listening 5672 || brokers+=(rabbitmq-server)
  need+=("${brokers[@]}")
fi
missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "安装系统软件包 (installing Debian packages): ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || { echo "安装失败，请手动运行：apt-get install -y ${missing[*]}" >&2; exit 1; }
  else
    echo "缺少系统软件包 (missing Debian packages)。请以 root 身份运行："
    echo "  sudo apt-get install -y ${missing[*]}"
    exit 0
  fi
fi
# Installed but not running (no systemd in a container): start the brokers the tests need.
for broker in "${brokers[@]}"; do
  if [ "$(id -u)" = "0" ]; then
    echo "启动 (starting) $broker"
    case $broker in
      redis-server) redis-server --daemonize yes --bind 127.0.0.1 --save "" >/dev/null ;;
      rabbitmq-server) rabbitmq-server -detached >/dev/null 2>&1 ;;
    esac
  else
    echo "请启动 (please start) $broker：sudo service $broker start"
  fi
done
for port in 6379 5672; do
  [ ${#brokers[@]} -eq 0 ] && break
  for _ in $(seq 1 60); do listening $port && break; sleep 1; done
done
exit 0
