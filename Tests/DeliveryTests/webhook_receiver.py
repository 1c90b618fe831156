"""A webhook receiver for DeliveryTests: http.server on 127.0.0.1 that answers each POST with the next status of
the list given (the last one repeated), and writes every body it received into the folder given, one file each.

    python3 webhook_receiver.py <folder> <status>[,<status>...]

Prints "READY <port>" on stdout once it accepts connections, then serves until its stdin closes.
"""
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

folder = sys.argv[1]
statuses = [int(s) for s in sys.argv[2].split(",")]
lock = threading.Lock()
received = [0]


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            received[0] += 1
            count = received[0]
            path = os.path.join(folder, "%04d.json" % count)
            with open(path + ".part", "wb") as out:
                out.write(body)
            os.rename(path + ".part", path)
        status = statuses[min(count, len(statuses)) - 1]
        answer = b'{"ok": true}' if status < 300 else b'{"error": "receiver not ready"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
print("READY %d" % server.server_address[1], flush=True)
sys.stdin.read()
server.shutdown()
