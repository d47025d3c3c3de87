"""An SMTP server for fmn's integration tests that records every message it accepts.

Usage: /usr/bin/python3 smtp_recorder.py --port N --dir DIR

Each accepted message becomes DIR/mail-NNNNNN.eml (the DATA bytes, CRLF line ends) and then one
JSON line in DIR/received.jsonl: {"mail_from": ..., "rcpt_tos": [...], "file": "mail-NNNNNN.eml"};
the line is written last, so a reader never sees a half-written message.

Before each RCPT the server reads DIR/mode, so a test can change its behaviour while it runs:
"accept" (or no file), "reject" (550: a permanent failure) or "tempfail" (421, then the
server closes the connection: a transient failure). Before answering DATA it reads it again:
"reject-data" refuses the message with 554 once its content is known and records it like an
accepted one, but in DIR/refused.jsonl; "slow" waits SLOW_SECONDS, then accepts it.
A message to an address starting with "held-" waits at DATA, unanswered, until DIR/release
exists.
"""

import argparse
import asyncio
import json
import logging
import os
import signal

SLOW_SECONDS = 2.0

from aiosmtpd.smtp import SMTP


class Recorder:
    def __init__(self, directory):
        self.directory = directory
        # A restarted server keeps numbering after the messages its predecessor recorded.
        self.count = sum(1 for f in os.listdir(directory) if f.startswith("mail-"))

    def mode(self):
        try:
            with open(os.path.join(self.directory, "mode"), encoding="ascii") as f:
                return f.read().strip()
        except FileNotFoundError:
            return "accept"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        mode = self.mode()
        if mode == "reject" or address.startswith("refused-"):
            return "550 5.1.1 Mailbox unavailable (test server in reject mode)"
        if mode == "tempfail":
            # The reply is written before the close runs.
            asyncio.get_running_loop().call_soon(server.transport.close)
            return "421 4.3.2 Service not available (test server in tempfail mode)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def record(self, envelope, index):
        self.count += 1
        name = "mail-%06d.eml" % self.count
        with open(os.path.join(self.directory, name), "wb") as f:
            f.write(envelope.original_content)
        record = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "file": name}
        with open(os.path.join(self.directory, index), "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        logging.info("%s: %s from %s to %s", index, name, envelope.mail_from, envelope.rcpt_tos)

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode()
        if mode == "reject-data":
            self.record(envelope, "refused.jsonl")
            return "554 5.6.0 Message refused (test server in reject-data mode)"
        if mode == "slow":
            await asyncio.sleep(SLOW_SECONDS)
        release = os.path.join(self.directory, "release")
        while any(r.startswith("held-") for r in envelope.rcpt_tos) and not os.path.exists(release):
            await asyncio.sleep(0.01)
        self.record(envelope, "received.jsonl")
        return "250 2.0.0 Message accepted"


async def serve(port, directory):
    loop = asyncio.get_running_loop()
    recorder = Recorder(directory)
    server = await loop.create_server(
        lambda: SMTP(recorder, hostname="smtp.fmn.test", enable_SMTPUTF8=True),
        host="127.0.0.1",
        port=port,
        reuse_address=True,
    )
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    logging.info("listening on 127.0.0.1:%d, recording to %s", port, directory)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    asyncio.run(serve(args.port, args.dir))


if __name__ == "__main__":
    main()
