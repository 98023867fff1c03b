#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/) from the real
fixtures in tests/fixtures and the inputs the Qt Test suites send. Run it again after a
fixture changes; files already there (the fuzzers' regression inputs) are kept."""
import hashlib
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures"
CORPUS = HERE / "corpus"


def seed(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ("seed-" + hashlib.sha1(data).hexdigest()[:16])).write_bytes(data)


def compact(value):
    return json.dumps(value, separators=(",", ":"))


# fuzz_requestframer: a read size byte (0: all at once), then a connection's bytes
# (tests/unit/tst_requestframer.cpp, tests/api/tst_hardening.cpp).
requests = [
    b"GET /v1/posts?limit=2 HTTP/1.1\r\nHost: a\r\nX-Two:  b c \r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /healthz HTTP/1.1\r\nHost: a\r\n\r\n",
    b"POST /v1/posts HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    b"POST /v1/files/a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n",
    b"PUT /v1/files/a HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
    b"GET /v1/events HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
    b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n\x81\x00",
    b"GET / HTTP/1.0\r\nConnection: keep-alive\r\nX-Request-Id: abc-123\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length : 1\r\n\r\nx",
    b"GET / HTTP/1.1\nHost: a\n\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
    b"PROPFIND / HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET / HTTP/2.0\r\nHost: a\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
]
for raw in requests:
    seed("fuzz_requestframer", b"\x00" + raw)
    seed("fuzz_requestframer", b"\x07" + raw)

# fuzz_query: "query\nform body" (tests/api/tst_postsapi.cpp, tst_filesapi.cpp, tst_authapi.cpp)
for line in [
    "limit=10&skip=5&search=hello+world&owner_id=3&sort=top\nusername=alice%40example.com&password=s3cret+pass",
    "limit=&skip\nusername=&password=",
    "directory=docs%2Freports&page_size=5&page_token=ZG9jcy9h\npassword=x&username=a&username=b",
    "q=caf%C3%A9&limit=100&skip=0&sort=new\nusername=bob%2Bx%40example.com&password=%F0%9F%94%91",
    "limit=101&skip=-1&owner_id=abc\n",
]:
    seed("fuzz_query", line)

# fuzz_models: a model byte (see fuzz_models.cpp), then the JSON the API and its clients send.
time = "2026-01-02T03:04:05.678Z"
user = {"id": 7, "email": "alice@example.com", "username": "alice", "role": "user",
        "disabled": False, "created_at": time}
post = {"id": 1, "title": "Hello", "content": "First post", "published": True, "score": 3,
        "votes": 4, "owner_id": 7, "owner": {"id": 7, "username": "alice"},
        "created_at": time, "updated_at": time}
file_info = {"id": 3, "file_path": "docs/report.csv", "owner_id": 7, "size_bytes": 5000,
             "content_type": "text/csv", "etag": "\"3fa9\"", "last_modified": time}
stage = {"id": 2, "name": "build", "position": 1, "status": "completed",
         "conclusion": "success", "started_at": time, "finished_at": time, "duration_s": 12,
         "provider_status": "SUCCEEDED", "steps": [{"name": "make", "status": "completed"}]}
run = {"id": 5, "pipeline_id": 4, "run_number": 12, "attempt": 1, "status": "completed",
       "conclusion": "failure", "source": "github", "event": "push", "head_branch": "main",
       "head_sha": "0123abcd", "actor": "octocat", "html_url": "https://github.com/o/r/actions/runs/1",
       "external_id": "30433642", "queued_at": time, "started_at": time, "finished_at": time,
       "duration_s": 61, "has_log": False, "stages": [stage], "created_at": time, "updated_at": time}
models = {
    0: [{"email": "alice@example.com", "username": "alice", "password": "correct horse battery"}],
    1: [{"email": "bob@example.com", "password": "new password 123", "current_password": "old password 1", "disabled": True, "role": "admin"}],
    2: [user],
    3: [{"access_token": "eyJ.a.b", "refresh_token": "r1", "token_type": "bearer", "expires_in": 900}],
    4: [{"name": "ci", "scopes": ["posts:read", "pipelines:write"]}],
    5: [{"id": 1, "name": "ci", "prefix": "op_abc", "scopes": ["posts:read"], "created_at": time, "created_by": 1, "last_used_at": None}],
    6: [{"id": 1, "at": time, "actor_id": 1, "actor": "admin", "action": "user.disable", "target_type": "user", "target_id": "7", "client_address": "127.0.0.1", "detail": {"reason": "spam"}}],
    7: [{"title": "Hello", "content": "First post", "published": True}],
    8: [{"post_id": 1, "dir": 1}, {"post_id": 1, "dir": 0}],
    9: [post],
    10: [{"items": [post], "limit": 10, "skip": 0, "total": 1}],
    11: [file_info],
    12: [{"files": [file_info], "next_page_token": "ZG9jcy9h"}],
    13: [{"file_path": "big/video.mp4", "size": 104857600, "content_type": "video/mp4"}],
    14: [{"id": "u1", "file_path": "big/video.mp4", "size": 20971521, "content_type": "video/mp4", "part_size": 8388608, "part_count": 3, "expires_at": time, "received_parts": [1, 3]}],
    15: [{"file_path": "notes/a.txt", "prompt": "a haiku", "generation_type": "text"}, {"file_path": "a.png", "prompt": "x", "file_type": "IMAGE"}],
    16: [stage],
    17: [run],
    18: [{"id": 4, "name": "api", "kind": "github", "repository": "o/r", "has_definition": False, "created_at": time, "updated_at": time, "last_run": run}],
    19: [{"name": "local build", "kind": "local", "definition": "stages:\n  - {name: a, commands: [\"true\"]}\n"}, {"name": "gh", "kind": "github", "repository": "o/r"}],
    20: [{"status": "in_progress", "external_id": "9", "stages": [{"name": "build", "status": "queued"}]}],
    21: [{"status": "completed", "conclusion": "success", "note": "done", "log": "ok\n"}],
    22: [{"version": "0.1.0", "started_at": time, "uptime_s": 5, "database": {"driver": "sqlite", "schema_version": 9}, "file_store": "local", "counts": {"users": 1, "posts": 2, "files": 3, "pipelines": 4}}],
    23: [{"status": "ok", "version": "0.1.0", "database": "ok", "file_store": "ok"}],
}
for index, values in models.items():
    for value in values:
        seed("fuzz_models", bytes([index]) + compact(value).encode())

# fuzz_jwt: byte 0 even: a token as sent; odd: "header JSON\npayload JSON", signed by the target.
rfc = json.loads((FIXTURES / "jwt" / "rfc7519-examples.json").read_text())
for example in rfc.values():
    if isinstance(example, dict):
        seed("fuzz_jwt", b"\x00" + example["compact"].encode())
        seed("fuzz_jwt", b"\x01" + example["header_json"].encode() + b"\n" + example["claims_json"].encode())
seed("fuzz_jwt", b"\x01" + b'{"alg":"HS256","typ":"JWT"}\n'
     + compact({"sub": "7", "iss": "outpost", "iat": 1699999990, "exp": 1700000900, "nbf": 1699999990, "role": "user"}).encode())
seed("fuzz_jwt", b"\x01" + b'{"alg":"HS256","crit":["b64"]}\n{"exp":1700000900,"iss":"outpost"}')

# fuzz_pipelinedefinition (tests/api/tst_localrunner.cpp, tst_pipelinesapi.cpp)
for text in [
    "stages:\n  - {name: a, commands: [\"true\"]}\n  - {name: b, commands: [\"false\"]}\n",
    "version: 0.2\nenv:\n  variables:\n    A: b\nphases:\n  install:\n    commands:\n      - echo install\n"
    "  build:\n    commands:\n      - make\n      - make test\n  post_build:\n    commands: [echo done]\n",
    "shell: bash\ntimeout: 60\nworking_directory: src\nenv: {GREETING: hello}\nstages:\n"
    "  - name: a\n    command: echo $GREETING\n    working_directory: does/not/exist\n    timeout: 5\n    shell: sh\n",
    '{"env": {"GREETING": "hello there"}, "stages": [{"name": "literal", "commands": ["echo $HOME; rm -rf /nonexistent"]}]}',
    "stages: []\n",
    "- just\n- a list\n",
    "stages:\n  - &s {name: a, commands: [x]}\n  - *s\n",
]:
    seed("fuzz_pipelinedefinition", text)

# fuzz_webhooks: 0 workflow_run, 1 workflow_job, 2 ping, 3 CodeBuild, 4 signature header,
# 5 CodeBuild time and status (tests/fixtures/github, tests/fixtures/codebuild).
for path in sorted((FIXTURES / "github").glob("*.json")):
    kind = 0 if path.name.startswith("workflow_run") else 1 if path.name.startswith("workflow_job") else 2
    seed("fuzz_webhooks", bytes([kind]) + compact(json.loads(path.read_text())).encode())
for path in sorted((FIXTURES / "codebuild").glob("*.json")):
    seed("fuzz_webhooks", b"\x03" + compact(json.loads(path.read_text())).encode())
for line in (FIXTURES / "github" / "signature-vector.txt").read_text().splitlines():
    if line.startswith("x-hub-signature-256: "):
        seed("fuzz_webhooks", b"\x04" + line[len("x-hub-signature-256: "):].encode())
seed("fuzz_webhooks", b"\x04sha256=" + b"0" * 64)
seed("fuzz_webhooks", b"\x05Sep 1, 2017 4:12:29 PM")
seed("fuzz_webhooks", b"\x05SUCCEEDED")

# fuzz_filepaths: a /v1/files/ request-target tail, also tried as a storage key
for path in ["docs/report.csv", "mp/report.csv", "a%2Fb", "caf%C3%A9/men%C3%BC.txt", "../etc/passwd",
             "a/%2e%2e/b", "a%5cb", "a//b", "./a", "x?download=1", "3f/3fa9e1c0d2", "objects/..",
             "%25252e%25252e/x", "\u00e9t\u00e9.txt"]:
    seed("fuzz_filepaths", path)

# fuzz_uploads: odd first byte: "Content-Type\nbody" (tests/api/tst_filesapi.cpp); even: an upload's JSON
seed("fuzz_uploads", b"\x01multipart/form-data; boundary=XyZ\n"
     b"--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nignored\r\n"
     b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report.csv\"\r\n"
     b"Content-Type: text/csv\r\n\r\na,b\r\n1,2\r\n\r\n--XyZ--\r\n")
seed("fuzz_uploads", b"\x01multipart/form-data; boundary=\"b1\"\n"
     b"--b1\r\nContent-Disposition: form-data; name=\"file_content\"\r\n\r\nx\r\n--b1--\r\n")
seed("fuzz_uploads", b"\x01text/plain\nraw body")
for value in models[14]:
    seed("fuzz_uploads", b"\x00" + compact(value).encode())
seed("fuzz_uploads", b"\x00" + compact(dict(models[14][0], size=0, received_parts=[])).encode())

# fuzz_headers: "Range\nIf-None-Match" (its first 8 bytes are also the file's size)
for line in ["bytes=0-1023\n\"3fa9\"", "bytes=-500\nW/\"17\", \"3fa9\"", "bytes=9500-\n*",
             "bytes=0-0,5-6\nW/\"x\"", "bytes= 10 - 20 \n  \"3fa9\"  ", "items=0-1\n",
             "bytes=-0\n\"\"", "bytes=5-3\nW/", "bytes=99999999999999999999-\n,,,"]:
    seed("fuzz_headers", line)

# fuzz_oidctoken: 0 a JWK Set, 1 a token against the RFC 7515 A.2/A.3 keys (kids "rsa", "ec"),
# 2 "JWK Set\ntoken", 3 ID token claims (tests/fixtures/jose, tests/unit/tst_oidctoken.cpp).
jose = {name: json.loads((FIXTURES / "jose" / name).read_text())
        for name in ["rfc7515-a2.json", "rfc7515-a3.json", "rfc7520-4.1.json"]}
jwks = {"keys": [dict(example["jwk"], kid="k%d" % i) for i, example in enumerate(jose.values())]}
seed("fuzz_oidctoken", b"\x00" + compact(jwks).encode())
for example in jose.values():
    seed("fuzz_oidctoken", b"\x00" + compact({"keys": [example["jwk"]]}).encode())
    seed("fuzz_oidctoken", b"\x01" + example["compact"].encode())
    header, payload, signature = example["compact"].split(".")
    seed("fuzz_oidctoken", b"\x02" + compact({"keys": [dict(example["jwk"], kid="x")]}).encode()
         + b"\n" + example["compact"].encode())
seed("fuzz_oidctoken", b"\x01eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYSJ9.e30.AAAA")
seed("fuzz_oidctoken", b"\x01eyJhbGciOiJFUzI1NiIsImtpZCI6ImVjIn0.e30.AAAA")
seed("fuzz_oidctoken", b"\x01eyJhbGciOiJub25lIiwia2lkIjoicnNhIn0.e30.")
seed("fuzz_oidctoken", b"\x03" + compact({
    "iss": "https://id.example.com", "sub": "248289761001", "aud": ["outpost", "other"],
    "azp": "outpost", "nonce": "n-0S6_WzA2Mj", "exp": 1700000300, "iat": 1700000000,
    "nbf": 1699999990, "email": "jane@example.com", "email_verified": True}).encode())
seed("fuzz_oidctoken", b"\x03" + compact({
    "iss": "https://id.example.com", "sub": "x", "aud": "outpost", "exp": 1.7e9}).encode())

# fuzz_oidcdiscovery: "discovery JSON\nJWKS JSON" (the shapes oidc-provider and Keycloak serve)
discovery = {
    "issuer": "https://id.example.com",
    "authorization_endpoint": "https://id.example.com/auth",
    "token_endpoint": "https://id.example.com/token",
    "jwks_uri": "https://id.example.com/jwks",
    "userinfo_endpoint": "https://id.example.com/me",
    "end_session_endpoint": "https://id.example.com/session/end",
    "response_types_supported": ["code"],
    "code_challenge_methods_supported": ["S256"],
    "id_token_signing_alg_values_supported": ["RS256", "PS256", "ES256"],
}
seed("fuzz_oidcdiscovery", compact(discovery) + "\n" + compact(jwks))
seed("fuzz_oidcdiscovery", compact(dict(discovery, end_session_endpoint="http://127.0.0.1:8/x",
                                        userinfo_endpoint="javascript:alert(1)")) + "\n{}")
seed("fuzz_oidcdiscovery", compact(dict(discovery, issuer="https://id.example.com/")) + "\n{}")

# fuzz_standardwebhooks: "secret\nmessage id\ntimestamp\nbody" (tests/fixtures/standard-webhooks)
vectors = json.loads((FIXTURES / "standard-webhooks" / "vectors.json").read_text())
for vector in vectors["sign"]:
    seed("fuzz_standardwebhooks", "%s\n%s\n%d\n%s" % (
        vector["secret"], vector["msg_id"], vector["timestamp"], vector["payload"]))
seed("fuzz_standardwebhooks", "whsec_\nmsg_x\n-1\n{\"type\":\"post.created\",\"data\":{\"id\":1}}")
seed("fuzz_standardwebhooks", "not base64!\npost.created\n99999999999999999999\n[]")

# fuzz_mailmessage: "subject\nto\ntext"
for subject in ["Your Outpost password", "New post: Caf\u00e9 \u2014 \u65e5\u672c\u8a9e", "a\rBcc: x@y.z",
                "\u2028Bcc: victim@example.com", "=?UTF-8?B?QmNjOg==?=", "\U0001F600" * 40, "x" * 950]:
    seed("fuzz_mailmessage", subject + "\njane@example.com\nHello,\r\nline two\n.\n")
seed("fuzz_mailmessage", "s\nbad address@example.com\ntext")

# fuzz_wiki: a page/summary answer (tests/fixtures/mediawiki)
for name in ["summary-Tokyo.json", "not-found.json"]:
    seed("fuzz_wiki", (FIXTURES / "mediawiki" / name).read_bytes())
seed("fuzz_wiki", compact({"title": "X", "extract": ""}))
seed("fuzz_wiki", compact({"titles": {"normalized": 1}, "title": "Y", "extract": "A b. C d e."}))
