#!/usr/bin/python3
"""A real SMTP server for tacit's tests, built on Debian's python3-aiosmtpd.

Run it with the system Python (the package installs into /usr/lib/python3):

  /usr/bin/python3 tests/smtp/smtp_server.py --port 0 --port-file F --out DIR
      [--host 127.0.0.1]
      [--tls-cert C --tls-key K]   STARTTLS offered (or, with --implicit-tls,
                                   TLS from the first byte, like smtps:// on 465)
      [--implicit-tls]
      [--require-starttls]         530 to everything but EHLO/HELO/NOOP/QUIT/
                                   STARTTLS before TLS (needs --tls-cert)
      [--auth USER:PASS]           AUTH PLAIN and LOGIN, only after TLS; when set,
                                   MAIL/RCPT/DATA need AUTH (530 otherwise)
      [--auth-exclude MECH]        do not offer that AUTH mechanism (PLAIN or
                                   LOGIN; may be repeated)
      [--behaviour FILE]           scripted failures, see below

The port actually listened on (useful with --port 0) is written to --port-file
(atomically) once the server accepts connections. Stop it with SIGTERM or SIGINT.

Every message accepted (250 after DATA) is saved as DIR/NNNN.eml (the bytes as
received after removing the SMTP dot-stuffing; lines end with CRLF) plus
DIR/NNNN.json: {"mail_from": ..., "rcpt_tos": [...], "auth_user": ... or null,
"tls": true/false}. Both files are written to a temporary name and renamed, the
.eml first, so a reader that sees NNNN.json finds the whole message. NNNN counts
from 0001 and goes on from the highest number already in DIR.

The behaviour file is JSON, read again at every command that uses it, so a test
may rewrite it (atomically, please) while the server runs. All keys optional:

  {"rcpt": {"addr@x": "550 5.1.1 no such user"},   reply to RCPT TO that address
   "data": ["451 4.3.0 try later", "421 4.7.0 closing"],
                   final replies to successive DATA commands, one entry consumed
                   per message; when the list is used up, messages are accepted.
                   A reply starting with 421 also closes the connection. The count
                   consumed is kept in FILE.state (JSON), so it survives rewrites
                   of FILE; delete FILE.state to start over.
   "hang_data_seconds": N}   wait N seconds after the message data before replying

Log lines (one per command, no passwords) go to stderr.
"""

import argparse
import asyncio
import json
import logging
import os
import signal
import ssl
import sys

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError:  # pragma: no cover
    sys.stderr.write("smtp_server.py: python3-aiosmtpd is not installed "
                     "(apt-get install python3-aiosmtpd)\n")
    sys.exit(3)

log = logging.getLogger("smtp_server")


def write_atomically(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, path)


class Behaviour:
    """The behaviour file and its sidecar state (how many "data" entries are used)."""

    def __init__(self, path):
        self.path = path

    def load(self):
        if not self.path:
            return {}
        try:
            with open(self.path, "rb") as f:
                return json.loads(f.read() or b"{}")
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as e:
            log.warning("behaviour file %s unreadable: %s", self.path, e)
            return {}

    def _state_path(self):
        return self.path + ".state"

    def _consumed(self):
        try:
            with open(self._state_path(), "rb") as f:
                return int(json.loads(f.read()).get("data_consumed", 0))
        except (OSError, ValueError):
            return 0

    def next_data_reply(self):
        """The scripted final reply for this DATA, consuming it; None: accept."""
        if not self.path:
            return None
        replies = self.load().get("data") or []
        used = self._consumed()
        if used >= len(replies):
            return None
        write_atomically(self._state_path(),
                         json.dumps({"data_consumed": used + 1}).encode())
        return str(replies[used])


class Handler:
    def __init__(self, out_dir, behaviour, implicit_tls):
        self.out_dir = out_dir
        self.behaviour = behaviour
        self.implicit_tls = implicit_tls
        os.makedirs(out_dir, exist_ok=True)
        numbers = [int(n.split(".")[0]) for n in os.listdir(out_dir)
                   if n.endswith(".json") and n.split(".")[0].isdigit()]
        self.counter = max(numbers, default=0)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.behaviour.load().get("rcpt", {}).get(address)
        if reply:
            log.info("RCPT %s: scripted %s", address, reply)
            return str(reply)
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        hang = self.behaviour.load().get("hang_data_seconds")
        if hang:
            log.info("DATA: hanging %s s", hang)
            await asyncio.sleep(float(hang))
        reply = self.behaviour.next_data_reply()
        if reply:
            log.info("DATA: scripted %s", reply)
            return reply
        self.counter += 1
        base = os.path.join(self.out_dir, "%04d" % self.counter)
        auth = session.auth_data
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "auth_user": auth.login.decode("utf-8", "replace")
            if isinstance(auth, LoginPassword) else None,
            "tls": bool(self.implicit_tls or server._tls_protocol is not None),
        }
        write_atomically(base + ".eml", envelope.original_content)
        write_atomically(base + ".json", json.dumps(meta, ensure_ascii=False).encode())
        log.info("saved %s.eml (%d bytes) for %s", base, len(envelope.original_content),
                 ", ".join(envelope.rcpt_tos))
        return "250 2.0.0 OK saved as %04d" % self.counter


class TestSMTP(SMTP):
    """aiosmtpd's SMTP that hangs up after any 421 it sends, as real servers do."""

    async def push(self, status):
        await super().push(status)
        text = status.decode("ascii", "replace") if isinstance(status, bytes) else status
        if text.startswith("421") and self.transport is not None:
            self.transport.close()


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        log.info("AUTH %s for %r: %s", mechanism,
                 auth_data.login if isinstance(auth_data, LoginPassword) else None,
                 "ok" if ok else "refused")
        # handled=False: aiosmtpd itself answers 535 on failure.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
    return authenticate


def main():
    p = argparse.ArgumentParser(description="SMTP server for tacit's tests")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--require-starttls", action="store_true")
    p.add_argument("--auth", metavar="USER:PASS")
    p.add_argument("--auth-exclude", action="append", default=[], metavar="MECH")
    p.add_argument("--behaviour")
    a = p.parse_args()

    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="smtp_server: %(name)s: %(message)s")
    tls = None
    if a.tls_cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(a.tls_cert, a.tls_key)
    if (a.implicit_tls or a.require_starttls) and tls is None:
        p.error("--implicit-tls and --require-starttls need --tls-cert and --tls-key")

    handler = Handler(a.out, Behaviour(a.behaviour), a.implicit_tls)
    kwargs = {"hostname": "smtp.test", "timeout": 60}
    if a.implicit_tls:
        # The whole connection is TLS: nothing to STARTTLS, and aiosmtpd's
        # auth_require_tls only knows about STARTTLS, so it is off here.
        kwargs.update(auth_require_tls=False)
    elif tls is not None:
        kwargs.update(tls_context=tls, require_starttls=a.require_starttls)
    if a.auth:
        user, _, password = a.auth.partition(":")
        kwargs.update(authenticator=make_authenticator(user, password), auth_required=True)
    if a.auth_exclude:
        kwargs.update(auth_exclude_mechanism=[m.upper() for m in a.auth_exclude])

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: TestSMTP(handler, loop=loop, **kwargs), a.host, a.port,
        ssl=tls if a.implicit_tls else None))
    port = server.sockets[0].getsockname()[1]
    write_atomically(a.port_file, ("%d\n" % port).encode())
    log.info("listening on %s:%d (%s%s)", a.host, port,
             "implicit TLS" if a.implicit_tls else ("STARTTLS" if tls else "plain"),
             ", AUTH" if a.auth else "")
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()


if __name__ == "__main__":
    main()
