"""A real SMTP server for DeliveryTests: aiosmtpd (Debian's python3-aiosmtpd) on 127.0.0.1 with the test's
self-signed certificate and one account. Mode "starttls" (the default) requires STARTTLS before AUTH and MAIL;
mode "tls" speaks TLS from the first byte (the server cannot be reached otherwise). Every message received is
written as JSON into the folder given, one file each (envelope, what the session saw, the message text).

    python3 smtp_server.py <certificate.pem> <key.pem> <folder> <user> <password> [starttls|tls]

Prints "READY <port>" on stdout once it accepts connections, then serves until its stdin closes.
"""
import json
import os
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

certificate, key, folder, user, password = sys.argv[1:6]
mode = sys.argv[6] if len(sys.argv) > 6 else "starttls"


class Recorder:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "content": envelope.original_content.decode("utf-8", "replace"),
        }
        path = os.path.join(folder, "%04d.json" % self.count)
        with open(path + ".part", "w") as out:
            json.dump(record, out)
        os.rename(path + ".part", path)
        return "250 Message accepted for delivery"


def authenticate(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password:
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(certificate, key)

with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]

if mode == "tls":
    controller = Controller(
        Recorder(), hostname="127.0.0.1", port=port, ssl_context=context, auth_require_tls=False, auth_required=True,
        authenticator=authenticate,
    )
else:
    controller = Controller(
        Recorder(), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
        auth_require_tls=True, auth_required=True, authenticator=authenticate,
    )
controller.start()
print("READY %d" % port, flush=True)
sys.stdin.read()
controller.stop()
