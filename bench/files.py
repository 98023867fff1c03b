#!/usr/bin/env python3
"""Files benchmark client (bench/files.sh runs it): upload and download throughput for
1 MiB and 100 MiB files, and the server's peak RSS growth while a 1 GiB file goes up as a
chunked upload and comes down as one streamed GET. Only 127.0.0.1 is contacted; standard
library only. Prints one TSV line per measurement on stdout:

    store  workload  size_mib  runs  mib_per_s  rss_growth_mib
"""
import argparse
import hashlib
import http.client
import json
import os
import sys
import threading
import time

MIB = 1024 * 1024


def rss_kib(pid, key):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


class PeakSampler:
    """Samples VmRSS of a process every 10 ms; VmHWM is not resettable everywhere."""

    def __init__(self, pid):
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_kib(self.pid, "VmRSS"))
            time.sleep(0.01)

    def __enter__(self):
        self.base = rss_kib(self.pid, "VmRSS")
        self.peak = self.base
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_kib(self.pid, "VmRSS"))

    def growth_mib(self):
        return (self.peak - self.base) / 1024


class Client:
    def __init__(self, port):
        self.port = port
        self.token = None
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def request(self, method, path, body=None, headers=None, sink=None):
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        if sink is None:
            data = response.read()
        else:
            data = b""
            while True:
                chunk = response.read(MIB)
                if not chunk:
                    break
                sink(chunk)
        return response.status, data

    def json(self, method, path, payload):
        status, data = self.request(method, path, json.dumps(payload).encode(),
                                    {"Content-Type": "application/json"})
        return status, (json.loads(data) if data else None)


def make_file(path, size, seed):
    block = hashlib.sha256(seed.encode()).digest() * (MIB // 32)
    with open(path, "wb") as out:
        left = size
        while left > 0:
            n = min(left, len(block))
            out.write(block[:n])
            block = block[1:] + block[:1]
            left -= n


def put_single(client, name, path):
    with open(path, "rb") as source:
        data = source.read()
    status, body = client.request("PUT", "/v1/files/" + name, data,
                                  {"Content-Type": "application/octet-stream"})
    if status not in (200, 201):
        raise SystemExit(f"PUT {name}: {status} {body[:200]!r}")


def put_chunked(client, name, path, size):
    status, upload = client.json("POST", "/v1/uploads", {"file_path": name, "size": size})
    if status != 201:
        raise SystemExit(f"POST /v1/uploads: {status} {upload}")
    part_size = upload["part_size"]
    with open(path, "rb") as source:
        number = 1
        while True:
            data = source.read(part_size)
            if not data and number > 1:
                break
            status, body = client.request(
                "PUT", f"/v1/uploads/{upload['id']}/parts/{number}", data,
                {"Content-Type": "application/octet-stream"})
            if status != 204:
                raise SystemExit(f"part {number}: {status} {body[:200]!r}")
            number += 1
            if len(data) < part_size:
                break
    status, body = client.request("POST", f"/v1/uploads/{upload['id']}/complete")
    if status not in (200, 201):
        raise SystemExit(f"complete: {status} {body[:200]!r}")


def download(client, name, size):
    received = [0]

    def sink(chunk):
        received[0] += len(chunk)

    status, _ = client.request("GET", "/v1/files/" + name, sink=sink)
    if status != 200 or received[0] != size:
        raise SystemExit(f"GET {name}: {status}, {received[0]} of {size} bytes")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--max-body", type=int, default=32 * MIB)
    parser.add_argument("--big-mib", type=int, default=1024)
    args = parser.parse_args()

    client = Client(args.port)
    email = f"bench-{os.getpid()}@example.test"
    password = "Bench-Passw0rd!"
    status, _ = client.json("POST", "/v1/users", {"email": email, "password": password})
    if status != 201:
        raise SystemExit(f"register: {status}")
    status, tokens = client.json("POST", "/v1/login", {"email": email, "password": password})
    if status != 200:
        raise SystemExit(f"login: {status}")
    client.token = tokens["access_token"]

    for size_mib, runs in ((1, 20), (100, 3)):
        size = size_mib * MIB
        path = os.path.join(args.work, f"data-{size_mib}")
        make_file(path, size, f"{size_mib}")
        started = time.monotonic()
        with PeakSampler(args.pid) as sampler:
            for run in range(runs):
                name = f"bench/{args.store}/{size_mib}mib-{run}.bin"
                if size <= args.max_body:
                    put_single(client, name, path)
                else:
                    put_chunked(client, name, path, size)
        seconds = time.monotonic() - started
        print(f"{args.store}\tupload\t{size_mib}\t{runs}\t{size_mib * runs / seconds:.1f}"
              f"\t{sampler.growth_mib():.1f}", flush=True)
        started = time.monotonic()
        with PeakSampler(args.pid) as sampler:
            for run in range(runs):
                download(client, f"bench/{args.store}/{size_mib}mib-{run}.bin", size)
        seconds = time.monotonic() - started
        print(f"{args.store}\tdownload\t{size_mib}\t{runs}\t{size_mib * runs / seconds:.1f}"
              f"\t{sampler.growth_mib():.1f}", flush=True)
        os.remove(path)

    if args.big_mib > 0:
        size = args.big_mib * MIB
        path = os.path.join(args.work, "data-big")
        make_file(path, size, "big")
        name = f"bench/{args.store}/big.bin"
        started = time.monotonic()
        with PeakSampler(args.pid) as sampler:
            put_chunked(client, name, path, size)
        seconds = time.monotonic() - started
        os.remove(path)
        print(f"{args.store}\tupload_chunked_peak_rss\t{args.big_mib}\t1"
              f"\t{args.big_mib / seconds:.1f}\t{sampler.growth_mib():.1f}", flush=True)
        started = time.monotonic()
        with PeakSampler(args.pid) as sampler:
            download(client, name, size)
        seconds = time.monotonic() - started
        print(f"{args.store}\tdownload_peak_rss\t{args.big_mib}\t1"
              f"\t{args.big_mib / seconds:.1f}\t{sampler.growth_mib():.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
