"""A real SMTP server for the digest tests (Debian python3-aiosmtpd), on 127.0.0.1:PORT.

Every accepted message is written to OUT as NNN.eml (the raw bytes) and then NNN.json (envelope, headers and
the decoded text/plain and text/html parts, parsed by Python's email package), so the test reads what a mail
client would show without parsing MIME itself. Addresses listed one per line in the REJECT file (re-read for
every RCPT) are refused with 550, as a mailbox that does not exist. Prints "ready" once listening and runs
until stdin closes or the process is killed.

Usage: /usr/bin/python3 smtp_sink.py PORT OUT REJECT
"""
import json
import os
import sys
import time
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out, reject_file):
        self.out = out
        self.reject_file = reject_file
        self.count = 0

    def rejected(self):
        try:
            with open(self.reject_file, encoding="utf-8") as f:
                return {line.strip().lower() for line in f if line.strip()}
        except FileNotFoundError:
            return set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejected():
            return "550 5.1.1 Mailbox unavailable (rejected by the test)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        raw = envelope.original_content or envelope.content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["from"]),
            "to": str(message["to"]),
            "subject": str(message["subject"]),
            "digest": message.get("X-EcomInsight-Digest"),
            "content_type": message.get_content_type(),
            "text": text.get_content() if text is not None else None,
            "html": html.get_content() if html is not None else None,
        }
        base = os.path.join(self.out, f"{time.time_ns()}-{self.count:04d}")
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.replace(base + ".json.tmp", base + ".json")
        return "250 Message accepted for delivery"


def main():
    port, out, reject_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    os.makedirs(out, exist_ok=True)
    controller = Controller(Sink(out, reject_file), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
