#!/usr/bin/python3
"""Seed a running outpost-server through its HTTP API for the posts benchmark.

Creates the users, N posts (default 10,000) owned by the bench user, and the bench
user's votes on every post whose id is a multiple of 3 -- the same data as the
FastAPI anchor's seed.py (shared/anchors/fastapi-ref), but through the API instead
of straight into the database:

  - bench-admin@example.com  first registration, so it becomes the instance's admin;
                             not used afterwards (the bench user is an ordinary user,
                             as in the anchor)
  - bench@example.com        owns every post, votes on every post whose id % 3 == 0
  - voter@example.com        no votes: the vote workload's user
  - voter-warmup@example.com no votes: the vote workload's warm-up user

Posts: title "Post <i> about <topic>", about 230 bytes of content, every 10th one
unpublished. Needs a fresh server (a second run stops at "already registered").

Usage (Debian's python3, standard library only):
    /usr/bin/python3 bench/seed.py --base http://127.0.0.1:8000 [--posts 10000]

Prints progress and a summary on stderr and the bench user's bearer token on
stdout. --env-out FILE also writes the tokens as shell assignments, and
--vote-ids-out FILE the ids of the published posts (one per line), the posts the
voters can see. Stops at the first error with a message and exit status 1; every
request has a timeout and the whole run a deadline.
"""
import argparse
import concurrent.futures
import http.client
import json
import sys
import threading
import time
import urllib.parse

TOPICS = ["fastapi", "sqlite", "python", "c++", "qt", "postgres", "docker",
          "jwt", "bcrypt", "uvicorn"]

PASSWORD = "bench-password"
USERS = [  # (email, username); the first registration becomes the admin
    ("bench-admin@example.com", "bench-admin"),
    ("bench@example.com", "bench"),
    ("voter@example.com", "voter"),
    ("voter-warmup@example.com", "voter-warmup"),
]


class SeedError(Exception):
    pass


class Client:
    """One keep-alive HTTP/1.1 connection per thread to 127.0.0.1."""

    def __init__(self, base: str, timeout: float, deadline: float):
        url = urllib.parse.urlsplit(base)
        if url.scheme != "http" or url.hostname not in ("127.0.0.1", "localhost"):
            raise SeedError(f"--base must be http://127.0.0.1:<port>, not {base}")
        self.host, self.port = url.hostname, url.port or 80
        self.timeout = timeout
        self.deadline = deadline
        self.local = threading.local()

    def _connection(self, fresh: bool = False) -> http.client.HTTPConnection:
        conn = getattr(self.local, "conn", None)
        if conn is None or fresh:
            if conn is not None:
                conn.close()
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.local.conn = conn
        return conn

    def request(self, method: str, path: str, body=None, token=None, form=None,
                expect=(200,)):
        if time.monotonic() > self.deadline:
            raise SeedError("deadline exceeded (see --deadline)")
        headers = {}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = "Bearer " + token
        # A kept-alive connection that the server closed meanwhile fails before any answer:
        # try once more on a new connection. Any other failure ends the run.
        for attempt in (1, 2):
            conn = self._connection(fresh=attempt == 2)
            try:
                conn.request(method, path, body=data, headers=headers)
                resp = conn.getresponse()
                payload = resp.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                if attempt == 2:
                    raise SeedError(f"{method} {path}: connection failed: {e}") from e
            except OSError as e:
                raise SeedError(f"{method} {path}: {e}") from e
        if resp.status not in expect:
            text = payload.decode("utf-8", "replace")[:300]
            raise SeedError(f"{method} {path}: HTTP {resp.status} (expected "
                            f"{'/'.join(map(str, expect))}): {text}")
        try:
            return json.loads(payload) if payload else None
        except ValueError as e:
            raise SeedError(f"{method} {path}: answer is not JSON: {payload[:200]!r}") from e


def post_body(i: int) -> dict:
    topic = TOPICS[i % len(TOPICS)]
    return {
        "title": f"Post {i} about {topic}",
        "content": (f"This is post number {i}. It talks about "
                    f"{topic} and {TOPICS[(i * 7) % len(TOPICS)]}, "
                    "with a paragraph of filler text so the row is not tiny. " * 2),
        "published": i % 10 != 0,
    }


def run_pool(workers: int, items, task, what: str):
    """task(item) on a thread pool; results in order. Stops at the first error."""
    results = [None] * len(items)
    done = 0
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(task, item): n for n, item in enumerate(items)}
        try:
            for future in concurrent.futures.as_completed(futures):
                results[futures[future]] = future.result()  # raises the task's error
                done += 1
                if done % 2000 == 0:
                    print(f"  {what}: {done}/{len(items)}", file=sys.stderr)
        except BaseException:
            for f in futures:
                f.cancel()
            raise
    return results, time.monotonic() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True, help="http://127.0.0.1:<port>")
    ap.add_argument("--posts", type=int, default=10_000)
    ap.add_argument("--vote-every", type=int, default=3,
                    help="the bench user votes on every post whose id is a multiple of this")
    ap.add_argument("--workers", type=int, default=16, help="concurrent requests")
    ap.add_argument("--timeout", type=float, default=30, help="seconds per request")
    ap.add_argument("--deadline", type=float, default=900, help="seconds for the whole run")
    ap.add_argument("--env-out", help="write BENCH_TOKEN=..., VOTER_TOKEN=..., "
                                      "VOTER_WARMUP_TOKEN=... to this file")
    ap.add_argument("--vote-ids-out", help="write the published post ids to this file")
    args = ap.parse_args()
    if not 0 <= args.posts <= 1_000_000 or not 1 <= args.workers <= 256 \
            or args.vote_every < 1:
        ap.error("--posts must be 0..1000000, --workers 1..256, --vote-every >= 1")

    t0 = time.monotonic()
    client = Client(args.base.rstrip("/"), args.timeout, t0 + args.deadline)

    tokens = {}
    for email, username in USERS:
        try:
            client.request("POST", "/v1/users",
                           body={"email": email, "password": PASSWORD, "username": username},
                           expect=(201,))
        except SeedError as e:
            if "HTTP 409" in str(e):
                raise SeedError(f"{email} is already registered: seed a fresh server "
                                "(empty data directory)") from e
            raise
        answer = client.request("POST", "/v1/login",
                                form={"username": email, "password": PASSWORD})
        if not isinstance(answer, dict) or not answer.get("access_token"):
            raise SeedError(f"login of {email}: no access_token in {answer!r}")
        tokens[email] = answer["access_token"]
    bench = tokens["bench@example.com"]
    print(f"seed: {len(USERS)} users registered and signed in "
          f"({time.monotonic() - t0:.1f}s, bcrypt included)", file=sys.stderr)

    def create(i: int):
        post = client.request("POST", "/v1/posts", body=post_body(i), token=bench,
                              expect=(201,))
        if not isinstance(post, dict) or not isinstance(post.get("id"), int):
            raise SeedError(f"POST /v1/posts: no integer id in {post!r}")
        return post["id"], bool(post.get("published"))

    created, t_posts = run_pool(args.workers, list(range(1, args.posts + 1)), create, "posts")
    ids = sorted(pid for pid, _ in created)
    published = sorted(pid for pid, pub in created if pub)
    print(f"seed: {len(ids)} posts ({len(ids) - len(published)} unpublished) in "
          f"{t_posts:.1f}s ({len(ids) / max(t_posts, 1e-9):.0f}/s)", file=sys.stderr)

    def vote(post_id: int):
        client.request("POST", "/v1/vote", body={"post_id": post_id, "dir": 1}, token=bench,
                       expect=(201,))

    voted = [pid for pid in ids if pid % args.vote_every == 0]
    _, t_votes = run_pool(args.workers, voted, vote, "votes")
    print(f"seed: {len(voted)} votes in {t_votes:.1f}s ({len(voted) / max(t_votes, 1e-9):.0f}/s)",
          file=sys.stderr)

    # What the bench user sees must be what was just made.
    page = client.request("GET", "/v1/posts?limit=1", token=bench)
    if not isinstance(page, dict) or page.get("total") != len(ids):
        raise SeedError(f"GET /v1/posts: expected total {len(ids)}, got "
                        f"{page.get('total') if isinstance(page, dict) else page!r}")

    if args.env_out:
        with open(args.env_out, "w", encoding="ascii") as f:
            f.write(f"BENCH_TOKEN='{bench}'\n")
            f.write(f"VOTER_TOKEN='{tokens['voter@example.com']}'\n")
            f.write(f"VOTER_WARMUP_TOKEN='{tokens['voter-warmup@example.com']}'\n")
    if args.vote_ids_out:
        with open(args.vote_ids_out, "w", encoding="ascii") as f:
            f.writelines(f"{pid}\n" for pid in published)

    print(f"seed: done in {time.monotonic() - t0:.1f}s: users bench@example.com, "
          f"voter@example.com, voter-warmup@example.com (password {PASSWORD}), "
          f"{len(ids)} posts, {len(voted)} votes; bench token on stdout", file=sys.stderr)
    print(bench)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SeedError as e:
        print(f"seed: error: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("seed: interrupted", file=sys.stderr)
        sys.exit(130)
