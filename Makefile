# Gongkai — the two commands: `make run` (demo on SQLite) and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: setup system-deps demo run test test-fast clean-db

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh run

# `make demo` and `make run` run like production: DEBUG off, a secret key of their own
# generated once into var/secret_key (mode 0600), only the loopback host names. The demo
# speaks plain HTTP on 127.0.0.1, so its cookies cannot be HTTPS-only. Each can be
# overridden from the environment.
demo run: export DEBUG ?= 0
demo run: export ALLOWED_HOSTS ?= 127.0.0.1,localhost,mzj.localhost
demo run: export SESSION_COOKIE_SECURE ?= 0
demo run: export CSRF_COOKIE_SECURE ?= 0
# Every absolute address the demo writes (feeds, sitemap, letters, the admin's 'view live') uses the port it runs on.
demo run: export BASE_URL ?= http://127.0.0.1:$(PORT)

demo: setup system-deps
	@$(PY) -m gongkai.core.secretkey
	@$(PY) -m gongkai.core.dbcheck
	@$(PY) -m gongkai.core.crypto genkey "$${GONGKAI_VAR_DIR:-var}/field.key"
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py createcachetable
	@$(PY) manage.py load_demo
	@$(PY) manage.py collectstatic --noinput -v0

run: demo
	@$(PY) -c "import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); \
	r=s.connect_ex(('127.0.0.1', $(PORT))); s.close(); \
	sys.exit(0 if r else print('端口 $(PORT) 已被占用，请换一个端口，例如：PORT=8080 make run') or 1)"
	@echo ""
	@echo "公开门户 (portal):     http://127.0.0.1:$(PORT)/"
	@echo "管理后台 (admin):      http://127.0.0.1:$(PORT)/admin/"
	@echo "后台任务 (worker):     manage.py gongkai_worker（随网站一起启动，状态见 http://127.0.0.1:$(PORT)/healthz）"
	@echo "按 Ctrl+C 停止 (stop)."
	@$(PY) manage.py gongkai_worker -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn gongkai.wsgi:application --bind 127.0.0.1:$(PORT) --workers 3 --threads 4 \
		--access-logfile - --log-level warning

test: setup
	@bash scripts/system-deps.sh test
	@$(PY) -m pytest -n auto --dist load --maxschedchunk 1 $(PYTEST_ARGS)

clean-db:
	rm -f var/gongkai.sqlite3
