"""Drive every route of a running appliance-status the way its users do, so a profile of the server
sees the code that serves them: the owner's browser (sign-in page, a wrong token, the right one, the
pages with the session cookie, sign-out), API clients with a Bearer token, a monitor on /healthz,
strangers without credentials, clients that go away mid-conversation, and many connections at
once, across several cache refreshes.

usage: exercise-status-server.py PORT TOKEN_FILE SECONDS
"""
import http.client
import socket
import struct
import sys
import threading
import time
import urllib.parse

port, token_file, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
token = open(token_file).read().strip()


def request(method, path, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def browser():
    request("GET", "/", {"Accept": "text/html"})  # redirected to the sign-in page
    request("GET", "/login?next=/diagnostics")
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    request("POST", "/login", form, urllib.parse.urlencode({"token": "wrong", "next": "/"}))
    signed_in = request("POST", "/login", form, urllib.parse.urlencode({"token": token, "next": "/"}))
    cookie = (signed_in.getheader("Set-Cookie") or "").split(";")[0]
    for path in ("/", "/diagnostics", "/login", "/api/status"):
        request("GET", path, {"Cookie": cookie})
    request("POST", "/logout", {"Cookie": cookie})


def api_client(rounds):
    # One keep-alive connection, as an API client or a load balancer holds one.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(rounds):
        for path in ("/api/status", "/api/overview", "/api/diagnostics"):
            connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
            connection.getresponse().read()
    connection.close()


def strangers():
    request("GET", "/api/status")
    request("GET", "/api/status", {"Authorization": "Bearer not-the-token"})
    request("GET", "/nowhere", {"Authorization": f"Bearer {token}"})
    request("GET", "/healthz")


def abandoned():
    # Clients that go away mid-conversation (a closed tab, a load generator stopping with requests
    # in flight): each connection is reset (SO_LINGER 0), after its answer, before it, or halfway
    # through its request, so the server meets a reset peer and a broken pipe: every connection a
    # load generator held ends this way when it stops.
    reset = struct.pack("ii", 1, 0)
    get = f"GET /api/status HTTP/1.1\r\nHost: appliance\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
    for sent, read in ((get, True), (get, False), (get[:11], False)):
        with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, reset)
            connection.sendall(sent)
            if read:
                connection.recv(65536)


deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    browser()
    strangers()
    workers = [threading.Thread(target=api_client, args=(3,)) for _ in range(20)]
    workers += [threading.Thread(target=abandoned) for _ in range(10)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
