"""A closed-loop HTTP load generator: ``python -m bench.httpload SPEC.json`` prints JSON figures.

SPEC: {"port", "duration", "warmup", "connections", "requests": [{"path", "headers"}]}.
Each connection (a thread with its own http.client connection, reconnecting when the server
closes it) sends the requests round-robin; latencies are taken after the warm-up only.
"""
import http.client
import json
import sys
import threading
import time


def worker(spec, offset, latencies, errors, stop_at, measure_from):
    requests = spec["requests"]
    conn = http.client.HTTPConnection("127.0.0.1", spec["port"], timeout=30)
    i = offset
    while True:
        started = time.perf_counter()
        if started >= stop_at:
            break
        request = requests[i % len(requests)]
        i += 1
        try:
            conn.request("GET", request["path"], headers=request.get("headers") or {})
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
        if started >= measure_from:
            (latencies if ok else errors).append(time.perf_counter() - started)
    conn.close()


def run(spec) -> dict:
    now = time.perf_counter()
    measure_from = now + spec.get("warmup", 0.5)
    stop_at = measure_from + spec["duration"]
    latencies, errors = [], []
    threads = [threading.Thread(target=worker, args=(spec, n, latencies, errors, stop_at,
                                                     measure_from))
               for n in range(spec.get("connections", 4))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    pick = lambda f: latencies[min(len(latencies) - 1, int(f * len(latencies)))] * 1000 if latencies else 0.0  # noqa: E731
    return {"requests": len(latencies), "errors": len(errors), "rps": len(latencies) / spec["duration"],
            "p50_ms": pick(0.50), "p99_ms": pick(0.99)}


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        print(json.dumps(run(json.load(f))))
