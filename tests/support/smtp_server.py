"""A real SMTP server for the integration tests (aiosmtpd).

Every accepted message is written, raw, to DIR/<n>.eml. Recipients whose
local part starts with "reject" are refused permanently (550), those starting
with "busy" temporarily (451), as real servers do.

    python3 tests/support/smtp_server.py PORT DIR [USER:PASSWORD]

While DIR/down exists, the server is out of order: it answers every
recipient with 421 (service not available), as a server going through an
outage does, and delivers nothing.

DIR/connections holds "OPENED PEAK": how many connections were opened in
all, and the most that were open at once.

With SMTP_SINK_COUNT_ONLY=1 in the environment, messages are counted, not
kept: DIR/count holds how many were accepted (for the benchmarks).

With USER:PASSWORD the server is a submission server: it requires STARTTLS
(a certificate for localhost and 127.0.0.1 from a throwaway CA, whose PEM is
written to DIR/ca.pem) and then AUTH with those credentials.
"""

import asyncio
import os
import pathlib
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


COUNT_ONLY = os.environ.get("SMTP_SINK_COUNT_ONLY") == "1"
# With SMTP_SINK_DELAY_MS=N, each message takes N ms to be accepted.
DELAY = int(os.environ.get("SMTP_SINK_DELAY_MS") or 0) / 1000


class Handler:
    def __init__(self, directory: pathlib.Path):
        self.directory = directory
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if (self.directory / "down").exists():
            return "421 4.3.2 service not available"
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 mailbox unknown"
        if local.startswith("busy"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if DELAY:
            await asyncio.sleep(DELAY)
        self.count += 1
        if COUNT_ONLY:
            return "250 Message accepted for delivery"
        tmp = self.directory / f".{self.count}.tmp"
        tmp.write_bytes(envelope.original_content or envelope.content)
        tmp.rename(self.directory / f"{self.count}.eml")
        return "250 Message accepted for delivery"


class Connections:
    """Counts client connections, written to DIR/connections on each change."""

    def __init__(self, directory: pathlib.Path):
        self.directory = directory
        self.open = self.opened = self.peak = 0
        # Off until the server is up: starting, aiosmtpd connects to itself.
        self.active = False
        self.write()

    def change(self, delta: int) -> None:
        self.open += delta
        if delta > 0:
            self.opened += delta
            self.peak = max(self.peak, self.open)
        self.write()

    def write(self) -> None:
        tmp = self.directory / ".connections.tmp"
        tmp.write_text(f"{self.opened} {self.peak}")
        tmp.rename(self.directory / "connections")


class CountingSMTP(SMTP):
    # aiosmtpd calls connection_made again after STARTTLS (and may report
    # the loss twice): one connection is counted once.
    def __init__(self, *args, connections: Connections, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections = connections
        self.counted = False

    def connection_made(self, transport):
        if self.connections.active and not self.counted:
            self.counted = True
            self.connections.change(+1)
        super().connection_made(transport)

    def connection_lost(self, exc):
        if self.counted:
            self.counted = False
            self.connections.change(-1)
        super().connection_lost(exc)


class CountingController(Controller):
    def __init__(self, *args, connections: Connections, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections = connections

    def factory(self):
        return CountingSMTP(self.handler, connections=self.connections, **self.SMTP_kwargs)


def submission_settings(directory: pathlib.Path, credentials: str) -> dict:
    import trustme

    user, password = credentials.split(":", 1)
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(directory / "ca.pem"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok, handled=False)

    return {
        "tls_context": context,
        "require_starttls": True,
        "authenticator": authenticator,
        "auth_required": True,
        "auth_require_tls": True,
    }


async def report_count(handler: Handler, directory: pathlib.Path) -> None:
    while True:
        tmp = directory / ".count.tmp"
        tmp.write_text(str(handler.count))
        tmp.rename(directory / "count")
        await asyncio.sleep(0.02)


async def main(port: int, directory: pathlib.Path, credentials: str | None) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    settings = submission_settings(directory, credentials) if credentials else {}
    handler = Handler(directory)
    connections = Connections(directory)
    controller = CountingController(
        handler,
        hostname="127.0.0.1",
        port=port,
        connections=connections,
        **settings,
    )
    controller.start()
    connections.active = True
    if COUNT_ONLY:
        asyncio.get_running_loop().create_task(report_count(handler, directory))
    print(f"listening on 127.0.0.1:{port}", flush=True)
    try:
        # Stop when the test process closes our stdin (or after an hour at most).
        loop = asyncio.get_running_loop()
        await asyncio.wait_for(loop.run_in_executor(None, sys.stdin.read), timeout=3600)
    except asyncio.TimeoutError:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    credentials = sys.argv[3] if len(sys.argv) > 3 else None
    asyncio.run(main(int(sys.argv[1]), pathlib.Path(sys.argv[2]), credentials))
