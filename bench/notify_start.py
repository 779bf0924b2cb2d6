#!/usr/bin/env python3
"""Starts a Type=notify daemon the way systemd would, and times exec -> READY=1.

Usage: notify_start.py SOCKET LOG COMMAND [ARGS...]
Binds an AF_UNIX datagram socket at SOCKET, runs COMMAND with NOTIFY_SOCKET=SOCKET (stdout/stderr to LOG, in its
own session so it outlives this script), waits for a datagram containing READY=1 (10 s), and prints
"PID MILLISECONDS". The clock starts just before fork/exec, so the figure includes the exec and dynamic loading.
"""
import os
import socket
import subprocess
import sys
import time

path, log, command = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3:]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
sock.settimeout(10)
env = dict(os.environ, NOTIFY_SOCKET=path)
with open(log, "ab") as out:
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True)
while True:
    try:
        data = sock.recv(4096)
    except socket.timeout:
        sys.exit(f"no READY=1 within 10 s (exit status {process.poll()}); see {log}")
    if b"READY=1" in data.split(b"\n") or data.startswith(b"READY=1"):
        elapsed = (time.monotonic() - started) * 1000
        break
print(f"{process.pid} {elapsed:.1f}")
