"""Serve the app and bare Django as deployed (gunicorn, gunicorn.conf.py), log in over HTTP, and
drive load with wrk. Requests carry `X-Forwarded-Proto: https`, as behind the TLS proxy."""

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RUN_DIR = ROOT / "bench" / ".run"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk():
    """wrk from Debian's packages, installed if missing."""
    if shutil.which("wrk"):
        return shutil.which("wrk")
    print("wrk is missing: installing Debian's package", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    return shutil.which("wrk")


class Server:
    """gunicorn in its own process group; output to a log file under bench/.run/."""

    def __init__(self, name, args, env):
        self.name = name
        self.port = int(env["PORT"])
        self.log_path = RUN_DIR / f"{name}.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_until_answers(self, path, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: see {self.log_path}")
            with contextlib.suppress(OSError):
                if Client(self.port).get(path).status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not answer {path} in {timeout}s: see {self.log_path}")

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with contextlib.suppress(OSError):
            return [int(pid) for pid in children.read_text().split()]
        return []

    def worker_cpu_seconds(self):
        """User + system CPU time the workers have used so far (a machine shared with other
        work slows every request down, but barely changes the CPU each one costs)."""
        ticks = 0
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def wait_until_idle(self, timeout=60):
        """Until the workers stop spending CPU: requests wrk stopped waiting for (a slow CSV)
        may still be running, and would take the CPU from whatever is measured next."""
        deadline = time.monotonic() + timeout
        spent = self.worker_cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(0.3)
            now = self.worker_cpu_seconds()
            if now - spent < 0.02:
                return
            spent = now

    def worker_peak_rss_mb(self):
        """The largest peak resident size (VmHWM) among the workers, in MB."""
        peaks = []
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        return max(peaks, default=None)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self._log.close()


@contextlib.contextmanager
def serving(name, args, env):
    server = Server(name, args, env)
    try:
        yield server
    finally:
        server.stop()


def gunicorn_env(base, port):
    """The deployed gunicorn settings (2 workers x 4 threads from gunicorn.conf.py), on a port of
    our own. Worker recycling (max_requests) is off: bare Django would recycle every second."""
    return {
        **base,
        "PORT": str(port),
        "GUNICORN_HOST": "127.0.0.1",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "4",
        "GUNICORN_MAX_REQUESTS": "0",
        "GUNICORN_MAX_REQUESTS_JITTER": "0",
        "DJANGO_MIGRATE_ON_START": "0",
        "PYTHON": sys.executable,
    }


def start_app(env):
    """The app the way the container starts it: bin/start (migrations already applied)."""
    return serving("app", ["sh", "bin/start"], gunicorn_env(env, free_port()))


def start_bare(env):
    args = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
    args.append("bench.bare.wsgi:application")
    bare_env = {**gunicorn_env(env, free_port()), "DJANGO_SETTINGS_MODULE": "bench.bare.settings"}
    return serving("bare", args, bare_env)


@dataclass
class Response:
    status: int
    headers: list
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name):
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


class Client:
    """Just enough of a browser: cookies, the proxy header, Origin and Referer on POSTs."""

    def __init__(self, port):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {**PROXY_HEADERS, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = self.cookie_header()
        if method == "POST":
            sent.setdefault("Origin", self.origin)
            sent.setdefault("Referer", self.origin + path)
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            response = Response(raw.status, raw.getheaders(), raw.read())
        finally:
            connection.close()
        for name, value in response.headers:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        return response

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, data, headers=None):
        return self.request("POST", path, body=urlencode(data), headers=headers)

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items() if value)

    def csrf_token(self, page_html):
        """The masked token a page gives htmx (hx-headers) or a form."""
        found = re.search(r'"x-csrftoken": "([^"]+)"', page_html) or re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', page_html
        )
        return found.group(1) if found else None

    def log_in(self, username, password):
        """The real login form: GET it for the CSRF token, POST it, expect the redirect."""
        page = self.get("/accounts/login/")
        token = self.csrf_token(page.text)
        response = self.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "login": username, "password": password},
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"logging in as {username} failed: {response.status}")
        return self


LUA = r"""
local cookies = {%(cookies)s}
local paths = {%(paths)s}
local tokens = {%(tokens)s}
local authorizations = {%(authorizations)s}
counter = 0
local post = %(post)s

wrk.headers["X-Forwarded-Proto"] = "https"
if post then
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["HX-Request"] = "true"
  wrk.headers["Origin"] = "%(origin)s"
end

-- Each wrk thread takes its own share of the sessions (thread k: k, k + threads, ...), so that
-- no learner clicks from two connections at once, as no learner does.
local threads = 0
function setup(thread)
  thread:set("first", threads)
  thread:set("counter", 0)
  threads = threads + 1
end

function request()
  counter = counter + 1
  local i = ((first + counter * %(threads)d) %% #paths) + 1
  if cookies[i] ~= "" then wrk.headers["Cookie"] = cookies[i] end
  local authorization = authorizations[((i - 1) %% #authorizations) + 1]
  if authorization ~= "" then wrk.headers["Authorization"] = authorization end
  if not post then
    return wrk.format(nil, paths[i])
  end
  wrk.headers["X-CSRFToken"] = tokens[i]
  wrk.headers["Referer"] = "%(origin)s" .. paths[i]
  local body = "%(field)s" .. "=" .. math.random(1, 5)
  return wrk.format(nil, paths[i], nil, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    "BENCH-RESULT {\"requests\": %%d, \"duration_us\": %%d, \"p50_us\": %%d, \"p99_us\": %%d, " ..
    "\"status_errors\": %%d, \"connect_errors\": %%d, \"read_errors\": %%d, " ..
    "\"write_errors\": %%d, \"timeouts\": %%d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
"""


@dataclass(frozen=True)
class Target:
    """What wrk requests: one path per session (requests cycle through them)."""

    paths: tuple
    cookies: tuple = ("",)
    tokens: tuple = ("",)
    post_field: str = ""
    authorizations: tuple = ("",)

    @classmethod
    def get(cls, path, cookie="", authorization=""):
        return cls(paths=(path,), cookies=(cookie,), authorizations=(authorization,))


def _lua_list(items):
    return ", ".join(json.dumps(item) for item in items)


def run_wrk(port, target, *, duration, connections, threads):
    """req/s, p50 and p99 in ms, and the error count for `duration` seconds of load."""
    script = LUA % {
        "cookies": _lua_list(target.cookies),
        "paths": _lua_list(target.paths),
        "tokens": _lua_list(target.tokens),
        "authorizations": _lua_list(target.authorizations),
        "post": "true" if target.post_field else "false",
        "origin": f"https://127.0.0.1:{port}",
        "field": target.post_field,
        "threads": threads,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", dir=RUN_DIR, delete=False) as lua:
        lua.write(script)
    try:
        completed = subprocess.run(
            [
                "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s",
                "-s", lua.name, f"http://127.0.0.1:{port}{target.paths[0]}",
            ],
            capture_output=True, text=True, check=True, timeout=duration + 60,
        )  # fmt: skip
    finally:
        os.unlink(lua.name)
    line = next(
        (line for line in completed.stdout.splitlines() if line.startswith("BENCH-RESULT ")), None
    )
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{completed.stdout}\n{completed.stderr}")
    result = json.loads(line.removeprefix("BENCH-RESULT "))
    errors = sum(result[k] for k in result if k.endswith("errors") or k == "timeouts")
    return {
        "rps": result["requests"] / (result["duration_us"] / 1e6),
        "p50_ms": result["p50_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "requests": result["requests"],
        "errors": errors,
    }
