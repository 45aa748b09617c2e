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


def wait_port(port: int, proc, log: Path | None = None) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None:
                said = log.read_text(errors="replace") if log and log.exists() else ""
                raise SystemExit(f"server exited: {said}")
            time.sleep(0.05)
    raise SystemExit("server did not start")


def start_gunicorn(var: Path, port: int, log: Path, environ: dict | None = None, **env) -> subprocess.Popen:
    """gunicorn as `make run` starts it (3 workers × 4 threads, its environment and access log) on the given
    var directory, in `environ` (default: this process's environment) with `env` added."""
    environment = dict(os.environ if environ is None else environ, GONGKAI_VAR_DIR=str(var), PYTHONPATH=str(ROOT), **env)
    for name, value in (("DEBUG", "0"), ("ALLOWED_HOSTS", "127.0.0.1,localhost"), ("SESSION_COOKIE_SECURE", "0"),
                        ("CSRF_COOKIE_SECURE", "0"), ("BASE_URL", f"http://127.0.0.1:{port}")):
        environment.setdefault(name, value)
    gunicorn = Path(sys.executable).with_name("gunicorn")  # the one beside this Python (.venv/bin)
    with open(log, "ab") as err:
        proc = subprocess.Popen([str(gunicorn), "gongkai.wsgi:application", "--bind", f"127.0.0.1:{port}",
                                 "--workers", "3", "--threads", "4", "--access-logfile", "-", "--log-level", "warning"],
                                cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=err)
    wait_port(port, proc, log)
    return proc


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start_nginx(tmp: Path, servers: list[str], ports: list[int]) -> subprocess.Popen:
    """nginx (2 workers, no access log) with the given server blocks (gongkai.portal.nginx.render)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(
        f"{user}worker_processes 2;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        f"events {{ worker_connections 1024; }}\nhttp {{ access_log off; client_body_temp_path {tmp}/b; "
        f"proxy_temp_path {tmp}/p; fastcgi_temp_path {tmp}/f; uwsgi_temp_path {tmp}/u; scgi_temp_path {tmp}/s;\n"
        + "\n".join(servers) + "\n}\n")
    proc = subprocess.Popen([nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for port in ports:
        wait_port(port, proc, tmp / "error.log")
    return proc


def ab(url: str, n: int = REQUESTS) -> float:
    out = subprocess.run(["ab", "-q", "-k", "-n", str(n), "-c", str(CONCURRENCY), url],
                         capture_output=True, text=True, timeout=300).stdout
    failed = re.search(r"Failed requests:\s+(\d+)", out)
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    if (failed and int(failed.group(1))) or non2xx:
        raise SystemExit(f"errors while benchmarking {url}:\n{out}")
    return float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))


def wrk(url: str, connections: int = 20, seconds: int = 10) -> dict:
    """wrk (2 threads, keep-alive): requests/s, the latency percentiles it reports (ms) under that load, and
    its socket errors (a timeout is a request unanswered after 2 s)."""
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    if re.search(r"Non-2xx or 3xx responses", out):
        raise SystemExit(f"errors while benchmarking {url}:\n{out}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))  # "Socket errors: …"

    def ms(label):
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": ms("50%"), "p99": ms("99%"),
            "errors": errors}


def main() -> None:
    if not shutil.which("ab"):
        raise SystemExit("ab not found: apt-get install -y apache2-utils")
    publish_root = VAR / "publish"
    article = (publish_root / "_default").resolve() / ARTICLE.strip("/") / "index.html"
    if not article.exists():
        raise SystemExit(f"{article} does not exist: load the demo into {VAR} first")

    from gongkai.portal.nginx import HOST_MAP, render

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        port = free_port()
        gunicorn = start_gunicorn(VAR, port, tmp / "gunicorn.log")
        try:
            url = f"http://127.0.0.1:{port}{ARTICLE}"
            ab(url, 2000)  # warm up
            rps = ab(url)
            print(f"make run server (gunicorn 3×4 + StaticPublishApp), article page: {rps:,.0f} requests/s")
        finally:
            stop(gunicorn)

        copy_root = tmp / "copy"
        (copy_root / "_default" / ARTICLE.strip("/")).mkdir(parents=True)
        shutil.copy(article, copy_root / "_default" / ARTICLE.strip("/") / "index.html")
        (copy_root / HOST_MAP).write_text("")
        p1, p2 = free_port(), free_port()
        site = render(listen=f"127.0.0.1:{p1}", publish_root=str(publish_root), upstream="127.0.0.1:9", header=False)
        # The same configuration, its root pointing at a plain directory holding a copy of the file
        # (no symlinked builds): the difference is what the publish-directory layout costs. Both
        # servers answer their address from `_default` (the first's host map names neither).
        plain = render(listen=f"127.0.0.1:{p2}", publish_root=str(copy_root), upstream="127.0.0.1:9", header=False)
        plain = re.sub(r"upstream gongkai_app \{.*?\}\n", "", plain, flags=re.S)
        plain = re.sub(r'map "\$host:\$server_port" \$gongkai_site \{.*?\}\n', "", plain, flags=re.S)
        proc = start_nginx(tmp, [site, plain], [p1, p2])
        try:
            ab(f"http://127.0.0.1:{p1}{ARTICLE}", 5000)
            ab(f"http://127.0.0.1:{p2}{ARTICLE}", 5000)
            a = [ab(f"http://127.0.0.1:{p1}{ARTICLE}", REQUESTS * 2) for _ in range(3)]
            b = [ab(f"http://127.0.0.1:{p2}{ARTICLE}", REQUESTS * 2) for _ in range(3)]
            print(f"nginx, publish directory (deploy/nginx.conf): {max(a):,.0f} requests/s (best of 3)")
            print(f"nginx, same configuration serving a copy of the file from a plain directory: "
                  f"{max(b):,.0f} requests/s (best of 3)")
            print(f"ratio publish/copy: {max(a) / max(b):.2f}")
        finally:
            stop(proc)


if __name__ == "__main__":
    main()
