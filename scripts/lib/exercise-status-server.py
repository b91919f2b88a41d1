"""Drive every route of a running appliance-status the way its users do, so a profile of the server
sees the code that serves them: the owner's browser (sign-in page, a wrong token, the right one, the
pages with the session cookie, sign-out), API clients with a Bearer token, a monitor on /healthz,
strangers without credentials, and many connections at once, across several cache refreshes.

usage: exercise-status-server.py PORT TOKEN_FILE SECONDS
"""
import http.client
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


deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    browser()
    strangers()
    workers = [threading.Thread(target=api_client, args=(3,)) for _ in range(20)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
