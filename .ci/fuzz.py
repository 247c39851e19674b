#!/usr/bin/env python3
"""API fuzzing (issue #14, item 4): schemathesis against /api/openapi.json of a demo server,
as nobody and as several roles logged in, each on a fresh demo installation (an
administrator's fuzzing deactivates accounts and ends sessions, which must not blind the
others).

The checks are the issue's: no server error (5xx), no response that violates its documented
schema or content type, no status code the document does not list. Usage:

    .ci/fuzz.py target/debug/qaward [seconds per role]

Needs schemathesis installed for the Python that runs it (pip). Exits non-zero on any failure, with schemathesis's
report of each.
"""

import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/debug/qaward"
SECONDS = int(sys.argv[2]) if len(sys.argv) > 2 else 60
PASSWORD = "qaward-demo"
# Who fuzzes: nobody, an applicant, a channel reviewer, an expert, the supervision group,
# the Office and the administrator (last: its fuzzing changes accounts).
ROLES = [None, "applicant-org", "county-reviewer", "expert1", "supervisor", "office", "admin"]
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


def start(data):
    """A demo server on a free port; returns the process and its base URL."""
    server = subprocess.Popen(
        [BIN, "serve", "--demo", "--data", data, "--listen", "127.0.0.1:0", "--today", "2026-11-23"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "RUST_LOG": "error"},
        text=True,
    )
    for line in server.stdout:
        m = re.search(r"qaward serving on (http://\S+)", line)
        if m:
            return server, m.group(1)
    raise SystemExit("the server did not start")


def session_for(base, username):
    """The headers of a logged-in session of `username`: its cookie and the CSRF token the
    API asks of every change, as a browser or a script of the Office would send them."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    req = urllib.request.Request(
        base + "/api/v1/session",
        method="POST",
        data=json.dumps({"username": username, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with opener.open(req) as r:
        csrf = json.loads(r.read())["csrf_token"]
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return ["-H", "Cookie: " + cookie, "-H", "X-CSRF-Token: " + csrf]


def fuzz(role):
    data = tempfile.mkdtemp(prefix="qaward-fuzz-")
    server, base = start(data)
    try:
        args = [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            base + "/api/openapi.json",
            "--checks",
            CHECKS,
            "--max-time",
            str(SECONDS),
            "--workers",
            "2",
            "--seed",
            "14",
            "--generation-database",
            "none",
            "--no-color",
            "--output-truncate",
            "true",
            "--suppress-health-check",
            "all",
        ]
        if role:
            # Logging out would blind the rest of the run, and the administrator ending every
            # session of an account, its own included, too.
            args += session_for(base, role)
            args += ["--exclude-operation-id", "logout"]
        print(f"== fuzzing the API as {role or 'nobody'}", flush=True)
        return subprocess.run(args).returncode
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(data, ignore_errors=True)


def main():
    only = os.environ.get("QAWARD_FUZZ_ROLES")
    roles = ROLES if not only else [None if r == "nobody" else r for r in only.split(",")]
    failed = [role or "nobody" for role in roles if fuzz(role) != 0]
    if failed:
        raise SystemExit("fuzzing found failures as: " + ", ".join(failed))
    print("fuzz: every role passed")


if __name__ == "__main__":
    main()
