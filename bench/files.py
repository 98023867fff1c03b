#!/usr/bin/env python3
"""Files benchmark client (bench/files.sh runs it): upload and download throughput for
1 MiB and 100 MiB files, and the server's peak RSS growth while a 1 GiB file goes up as a
chunked upload and comes down as one streamed GET. Only 127.0.0.1 is contacted; standard
library only. Prints one TSV line per measurement on stdout:

    store  workload  size_mib  runs  mib_per_s  rss_growth_mib

Next to each measurement, in the same run, a reference (store "ref"; rss_growth_mib "-"):
the same bytes copied to a file with one fsync (copy_fsync: what the disk does), nginx
serving the same file to the same client (--nginx-port: download_nginx), and curl PUTting the
same object straight to the same S3 server (--s3-port: put_curl_s3).
"""
import argparse
import hashlib
import http.client
import json
import os
import subprocess
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
        self.used = time.monotonic()

    def request(self, method, path, body=None, headers=None, sink=None):
        headers = dict(headers or {})
        if time.monotonic() - self.used > 5:
            self.conn.close()  # idle while a reference ran: the server may have closed it
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
        self.used = time.monotonic()
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


def copy_fsync(path, target):
    """The disk's own speed for an upload: the same bytes to a new file, one fsync."""
    with open(path, "rb") as source, open(target, "wb") as out:
        while True:
            data = source.read(8 * MIB)
            if not data:
                break
            out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.remove(target)


def curl_put_s3(port, path, key):
    """A signed PUT straight to the S3 server; the payload hash (which SigV4 signs, as the
    server's own PUTs do) is part of the time."""
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(8 * MIB):
            digest.update(chunk)
    subprocess.run(["curl", "-sS", "--fail", "-o", "/dev/null", "--aws-sigv4",
                    "aws:amz:us-east-1:s3", "--user", "S3RVER:S3RVER",
                    "-H", "x-amz-content-sha256: " + digest.hexdigest(), "-T", path,
                    f"http://127.0.0.1:{port}/outpost-bench/ref/{key}"], check=True, timeout=600)


def measure(runs, action):
    """Seconds for `runs` calls of action(run)."""
    started = time.monotonic()
    for run in range(runs):
        action(run)
    return time.monotonic() - started


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


def download(client, name, size, prefix="/v1/files/"):
    received = [0]

    def sink(chunk):
        received[0] += len(chunk)

    status, _ = client.request("GET", prefix + name, sink=sink)
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
    parser.add_argument("--nginx-port", type=int, default=0)
    parser.add_argument("--s3-port", type=int, default=0)
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

    static = os.path.join(args.work, "static")
    os.makedirs(static, exist_ok=True)

    def line(store, workload, size_mib, runs, seconds, growth):
        print(f"{store}\t{workload}\t{size_mib}\t{runs}\t{size_mib * runs / seconds:.1f}"
              f"\t{growth}", flush=True)

    def references(size_mib, runs, path, upload):
        if upload and args.store == "local":
            target = os.path.join(args.work, "copy")
            seconds = measure(runs, lambda run: copy_fsync(path, target))
            line("ref", "copy_fsync", size_mib, runs, seconds, "-")
        if upload and args.s3_port:
            seconds = measure(runs, lambda run: curl_put_s3(
                args.s3_port, path, f"{size_mib}mib-{run}.bin"))
            line("ref", "put_curl_s3", size_mib, runs, seconds, "-")
        if not upload and args.nginx_port:
            # A new connection each time: nginx closes one left idle for over a minute.
            nginx = Client(args.nginx_port)
            name = os.path.basename(path)
            seconds = measure(runs, lambda run: download(nginx, name, size_mib * MIB, "/"))
            line("ref", "download_nginx", size_mib, runs, seconds, "-")

    # (size, runs, how): single PUTs up to the body limit, chunked uploads beyond it.
    cases = [(1, 20, "single"), (100, 3, "chunked")]
    if 100 * MIB <= args.max_body:
        cases.insert(1, (100, 3, "single"))
    for size_mib, runs, how in cases:
        size = size_mib * MIB
        path = os.path.join(static, f"data-{size_mib}")
        make_file(path, size, f"{size_mib}")
        workload = "upload" if how == "single" else "upload_chunked"
        names = [f"bench/{args.store}/{size_mib}mib-{how}-{run}.bin" for run in range(runs)]
        with PeakSampler(args.pid) as sampler:
            seconds = measure(runs, lambda run: put_single(client, names[run], path)
                              if how == "single" else put_chunked(client, names[run], path, size))
        line(args.store, workload, size_mib, runs, seconds, f"{sampler.growth_mib():.1f}")
        references(size_mib, runs, path, True)
        if how == "single" or size_mib < 100:
            with PeakSampler(args.pid) as sampler:
                seconds = measure(runs, lambda run: download(client, names[run], size))
            line(args.store, "download", size_mib, runs, seconds, f"{sampler.growth_mib():.1f}")
            references(size_mib, runs, path, False)
        os.remove(path)

    if args.big_mib > 0:
        size = args.big_mib * MIB
        path = os.path.join(static, "data-big")
        make_file(path, size, "big")
        name = f"bench/{args.store}/big.bin"
        with PeakSampler(args.pid) as sampler:
            seconds = measure(1, lambda run: put_chunked(client, name, path, size))
        line(args.store, "upload_chunked_peak_rss", args.big_mib, 1, seconds,
             f"{sampler.growth_mib():.1f}")
        references(args.big_mib, 1, path, True)
        with PeakSampler(args.pid) as sampler:
            seconds = measure(1, lambda run: download(client, name, size))
        line(args.store, "download_peak_rss", args.big_mib, 1, seconds,
             f"{sampler.growth_mib():.1f}")
        references(args.big_mib, 1, path, False)
        os.remove(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
