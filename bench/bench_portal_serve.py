"""Benchmark: anonymous requests per second for a published article page (not a test; prints figures).

Measures, on loopback with 50 concurrent connections (ApacheBench `ab`, from Debian's
apache2-utils; keep-alive on):
  1. the `make run` server (gunicorn, 3 workers × 4 threads, StaticPublishApp in front of Django);
  2. nginx with deploy/nginx.conf serving the publish directory, against the same configuration
     serving a copy of the same file from a plain directory elsewhere (the ratio should be ≥ 0.9).

Needs a var directory with the demo loaded (`make demo`, or GONGKAI_VAR_DIR=/some/dir manage.py
migrate + createcachetable + load_demo). Run:
    GONGKAI_VAR_DIR=var .venv/bin/python bench/bench_portal_serve.py
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = Path(os.environ.get("GONGKAI_VAR_DIR", ROOT / "var")).resolve()
ARTICLE = os.environ.get("BENCH_PATH", "/zwgk/zcwj/tysb-azbf/")
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20000"))
CONCURRENCY = 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"server exited: {proc.stdout.read().decode(errors='replace')}")
            time.sleep(0.05)
    raise SystemExit("server did not start")


def ab(url: str, n: int = REQUESTS) -> float:
    out = subprocess.run(["ab", "-q", "-k", "-n", str(n), "-c", str(CONCURRENCY), url],
                         capture_output=True, text=True, timeout=300).stdout
    failed = re.search(r"Failed requests:\s+(\d+)", out)
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    if (failed and int(failed.group(1))) or non2xx:
        raise SystemExit(f"errors while benchmarking {url}:\n{out}")
    return float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))


def main() -> None:
    if not shutil.which("ab"):
        raise SystemExit("ab not found: apt-get install -y apache2-utils")
    publish_root = VAR / "publish"
    article = (publish_root / "_default").resolve() / ARTICLE.strip("/") / "index.html"
    if not article.exists():
        raise SystemExit(f"{article} does not exist: load the demo into {VAR} first")
    env = dict(os.environ, GONGKAI_VAR_DIR=str(VAR))

    port = free_port()
    gunicorn = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "gongkai.wsgi:application", "--bind",
                                 f"127.0.0.1:{port}", "--workers", "3", "--threads", "4", "--log-level", "warning"],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_port(port, gunicorn)
        url = f"http://127.0.0.1:{port}{ARTICLE}"
        ab(url, 2000)  # warm up
        rps = ab(url)
        print(f"make run server (gunicorn 3×4 + StaticPublishApp), article page: {rps:,.0f} requests/s")
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=20)

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    from gongkai.portal.nginx import render

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        copy_root = tmp / "copy"
        (copy_root / ARTICLE.strip("/")).mkdir(parents=True)
        shutil.copy(article, copy_root / ARTICLE.strip("/") / "index.html")
        p1, p2 = free_port(), free_port()
        site = render(listen=f"127.0.0.1:{p1}", publish_root=str(publish_root), site="_default",
                      upstream="127.0.0.1:9", header=False)
        # The same configuration, its root pointing at a plain directory holding a copy of the file
        # (no symlinked builds): the difference is what the publish-directory layout costs.
        plain = render(listen=f"127.0.0.1:{p2}", publish_root=str(tmp), site="copy",
                       upstream="127.0.0.1:9", header=False)
        plain = re.sub(r"upstream gongkai_app \{.*?\}\n", "", plain, flags=re.S)
        user = "user root;\n" if os.geteuid() == 0 else ""
        (tmp / "nginx.conf").write_text(
            f"{user}worker_processes 2;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
            f"events {{ worker_connections 1024; }}\nhttp {{ access_log off; client_body_temp_path {tmp}/b; "
            f"proxy_temp_path {tmp}/p; fastcgi_temp_path {tmp}/f; uwsgi_temp_path {tmp}/u; scgi_temp_path {tmp}/s;\n"
            f"{site}\n{plain}\n}}\n")
        proc = subprocess.Popen([nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            wait_port(p1, proc)
            wait_port(p2, proc)
            ab(f"http://127.0.0.1:{p1}{ARTICLE}", 5000)
            ab(f"http://127.0.0.1:{p2}{ARTICLE}", 5000)
            a = [ab(f"http://127.0.0.1:{p1}{ARTICLE}", REQUESTS * 2) for _ in range(3)]
            b = [ab(f"http://127.0.0.1:{p2}{ARTICLE}", REQUESTS * 2) for _ in range(3)]
            print(f"nginx, publish directory (deploy/nginx.conf): {max(a):,.0f} requests/s (best of 3)")
            print(f"nginx, same configuration serving a copy of the file from a plain directory: "
                  f"{max(b):,.0f} requests/s (best of 3)")
            print(f"ratio publish/copy: {max(a) / max(b):.2f}")
        finally:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
