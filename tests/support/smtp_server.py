"""A real SMTP server for the integration tests (aiosmtpd).

Every accepted message is written, raw, to DIR/<n>.eml. Recipients whose
local part starts with "reject" are refused permanently (550), those starting
with "busy" temporarily (451), as real servers do.

    python3 tests/support/smtp_server.py PORT DIR
"""

import asyncio
import pathlib
import sys

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, directory: pathlib.Path):
        self.directory = directory
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 mailbox unknown"
        if local.startswith("busy"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        tmp = self.directory / f".{self.count}.tmp"
        tmp.write_bytes(envelope.original_content or envelope.content)
        tmp.rename(self.directory / f"{self.count}.eml")
        return "250 Message accepted for delivery"


async def main(port: int, directory: pathlib.Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    controller = Controller(Handler(directory), hostname="127.0.0.1", port=port)
    controller.start()
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
    asyncio.run(main(int(sys.argv[1]), pathlib.Path(sys.argv[2])))
