#!/usr/bin/python3
"""An SMTP server for the mail tests: Debian's aiosmtpd on 127.0.0.1 and a free port.

--mode starttls: offers STARTTLS with --cert/--key and requires it, and AUTH (--user and
--password) after it, before MAIL. --mode plain: no TLS offered, no AUTH.

Prints "listening PORT" once it accepts connections. Each message it accepts becomes
DIR/NNNN.json (written to a temporary name, then renamed): the envelope, every header as the
message has it (raw, unfolded) and decoded, and every leaf MIME part decoded by Python's email
package, with the parser's defects, so a test checks what a real mail reader would see.
Failed AUTH attempts are counted in DIR/auth-failures (one line each).
"""

import argparse
import asyncio
import email
import email.header
import email.policy
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Store:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    def write(self, name, data):
        temporary = os.path.join(self.directory, "." + name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1)
        os.rename(temporary, os.path.join(self.directory, name))

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
        modern = email.message_from_bytes(raw, policy=email.policy.default)
        head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        parts = []
        for part in modern.walk():
            if part.is_multipart():
                continue
            parts.append({
                "content_type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "transfer_encoding": part.get("Content-Transfer-Encoding", ""),
                "body": part.get_content(),
            })
        headers = []
        for name, value in message.items():
            decoded = str(email.header.make_header(email.header.decode_header(value)))
            headers.append({"name": name, "raw": value, "decoded": decoded})
        self.count += 1
        self.write("%04d.json" % self.count, {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "head": head,
            "headers": headers,
            "content_type": message.get_content_type(),
            "defects": [type(d).__name__ for d in modern.defects]
            + [type(d).__name__ for p in modern.walk() for d in p.defects],
            "parts": parts,
        })
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--mode", choices=["starttls", "plain"], required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user", default="outpost")
    parser.add_argument("--password", default="mail-secret")
    args = parser.parse_args()

    store = Store(args.dir)
    failures = os.path.join(args.dir, "auth-failures")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == args.user.encode()
              and auth_data.password == args.password.encode())
        if not ok:
            with open(failures, "a", encoding="utf-8") as f:
                f.write(mechanism + "\n")
        return AuthResult(success=ok, handled=False)

    def factory():
        if args.mode == "plain":
            return SMTP(store, hostname="mail.test", enable_SMTPUTF8=False)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        return SMTP(store, hostname="mail.test", tls_context=context, require_starttls=True,
                    auth_required=True, auth_require_tls=True, authenticator=authenticate)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", 0))
    port = server.sockets[0].getsockname()[1]
    print("listening %d" % port, flush=True)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
