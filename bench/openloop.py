#!/usr/bin/env python3
"""Constant-rate, open-loop HTTP/1.1 load for bench/latency.sh (wrk holds connections busy, not a rate).

Usage: openloop.py URL BODIES_FILE RATE SECONDS
Request i is due at t0 + i/RATE whatever happened before (open loop). It goes out on an idle keep-alive connection,
or on a new one when all are busy, so a slow answer never delays the next request and coordinated omission is
avoided. Latency is measured from the moment the request was DUE to the last byte of the answer: any lag of this
generator counts against the server, so the figures are an upper bound. Prints one line:
  RESULT sent=N ok=N non2xx=N errors=N p50_us=N p99_us=N max_us=N late_starts=N lag_p50_us=N lag_p99_us=N lag_max_us=N connections=N
(late_starts: requests that left more than 1 ms after their due time, i.e. the generator could not keep up;
lag_*: how late the requests left, the generator's own share of the latencies.)

Python's garbage collector is off during the run: a full collection over the run's ten thousand tasks stopped this
loop for 35-70 ms once per run, which was the worst "latency" of every run and up to a fifth of the requests above
the p99. The run's objects are few enough to keep until the end.
"""
import asyncio
import gc
import sys
import time
from urllib.parse import urlsplit


async def main(url, bodies_path, rate, seconds):
    parts = urlsplit(url)
    host, port, path = parts.hostname, parts.port or 80, parts.path or "/"
    with open(bodies_path, "rb") as f:
        bodies = [line.rstrip(b"\n") for _, line in zip(range(int(rate * seconds) + 1), f)]
    total = int(rate * seconds)
    if len(bodies) < total:
        sys.exit(f"need {total} bodies, {bodies_path} has {len(bodies)}")
    idle = []
    opened = 0
    latencies, statuses, lags, errors, late = [], [], [], 0, 0
    # Requests not yet answered, and the signal that the last one was: awaiting every task at the end with
    # gather() would itself hold the loop while the last answers come in.
    outstanding = 0
    finished = asyncio.Event()

    async def connection():
        nonlocal opened
        if idle:
            return idle.pop()
        opened += 1
        return await asyncio.open_connection(host, port)

    async def one(index, due):
        nonlocal errors, late, outstanding
        lag = time.monotonic() - due
        lags.append(lag)
        if lag > 0.001:
            late += 1
        body = bodies[index]
        request = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        try:
            reader, writer = await connection()
            writer.write(request)
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            # Parsed before the latency is kept: a connection closed instead of answered is an error, not a time.
            status = int(status_line.split()[1])
            latencies.append(time.monotonic() - due)
            statuses.append(status)
            idle.append((reader, writer))
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            errors += 1
        finally:
            outstanding -= 1
            if outstanding == 0 and len(tasks) == total:
                finished.set()

    tasks = []
    gc.collect()
    gc.freeze()
    gc.disable()
    start = time.monotonic() + 0.05
    for index in range(total):
        due = start + index / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        outstanding += 1
        tasks.append(asyncio.create_task(one(index, due)))
    if outstanding > 0:
        await finished.wait()
    gc.enable()
    for _, writer in idle:
        writer.close()
    latencies.sort()
    lags.sort()

    def pct(p, values=latencies):
        return int(values[min(len(values) - 1, int(len(values) * p / 100))] * 1e6) if values else 0

    ok = sum(1 for s in statuses if 200 <= s < 300)
    print(f"RESULT sent={total} ok={ok} non2xx={len(statuses) - ok} errors={errors} p50_us={pct(50)} "
          f"p99_us={pct(99)} max_us={int(latencies[-1] * 1e6) if latencies else 0} late_starts={late} lag_p50_us={pct(50, lags)} lag_p99_us={pct(99, lags)} "
          f"lag_max_us={int(lags[-1] * 1e6) if lags else 0} connections={opened}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])))
