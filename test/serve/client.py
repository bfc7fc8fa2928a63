#!/usr/bin/env python3
"""A backend that is not Node, using `recwatch serve` with Python's standard library only.

Run by test/serve/serve.e2e.spec.ts:
    client.py <base url> <write token> <read token> <hook port> <whsec_ secret>
It starts a recording, lists it, follows its events over server-sent events (and resumes them
with Last-Event-ID), stops it, receives and verifies a signed outbound webhook (Standard
Webhooks), checks 401/403/409, /readyz and /metrics, and prints one JSON object with what it saw.
Every wait has a bound (a failure bound, not a speed assumption); any failed check exits 1.
"""

import base64
import hashlib
import hmac
import http.server
import json
import queue
import sys
import threading
import time
import urllib.error
import urllib.request

BASE, TOKEN, READ_TOKEN, HOOK_PORT, HOOK_SECRET = sys.argv[1:6]
BOUND_S = 60  # a failure bound: a healthy run takes a few seconds


def fail(message):
    print(json.dumps({"ok": False, "failure": message}))
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def call(method, path, body=None, token=TOKEN, headers=None):
    """One request; returns (status, content type, parsed JSON or text)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    if token is not None:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=BOUND_S) as response:
            status, kind, raw = response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        status, kind, raw = error.code, error.headers.get("Content-Type", ""), error.read()
    text = raw.decode()
    return status, kind, (json.loads(text) if "json" in kind else text)


# --- Standard Webhooks: HMAC-SHA256 over "id.timestamp.body" with the base64 key after whsec_ ---

def verify_webhook(headers, body, secret, tolerance_s=300):
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (msg_id and timestamp and signatures):
        return False
    if abs(time.time() - int(timestamp)) > tolerance_s:
        return False
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for candidate in signatures.split(" "):
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return True
    return False


hooks = queue.Queue()


class HookHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        hooks.put((headers, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def start_hook_receiver():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(HOOK_PORT)), HookHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- Server-sent events: the text/event-stream format, read line by line ---

def sse_events(path, last_event_id=None):
    """Yields (event, data, id) from the stream until the caller stops."""
    request = urllib.request.Request(BASE + path)
    request.add_header("Authorization", "Bearer " + TOKEN)
    request.add_header("Accept", "text/event-stream")
    if last_event_id is not None:
        request.add_header("Last-Event-ID", last_event_id)
    response = urllib.request.urlopen(request, timeout=BOUND_S)
    check(response.headers.get("Content-Type", "").startswith("text/event-stream"), "SSE content type")
    event, data, event_id = "message", [], None
    for raw in response:
        line = raw.decode().rstrip("\r\n")
        if line == "":
            if data:
                yield event, json.loads("\n".join(data)), event_id
            event, data, event_id = "message", [], None
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                event = value
            elif field == "data":
                data.append(value)
            elif field == "id":
                event_id = value


def until_event(stream, wanted, recording):
    """Reads the stream until an event of type `wanted` for `recording`; returns the ids seen."""
    deadline = time.monotonic() + BOUND_S
    ids, types = [], []
    for event, data, event_id in stream:
        check(time.monotonic() < deadline, "no %s event within the bound" % wanted)
        if event_id is not None:
            ids.append(event_id)
        if data.get("recording") == recording:
            types.append(event)
        if event == wanted and data.get("recording") == recording:
            return ids, types
    fail("the event stream ended before %s" % wanted)


# --- Prometheus text format: "name{label="v",...} value" lines, # comments skipped ---

def parse_prometheus(text):
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name_labels, _, value = line.rpartition(" ")
        name, _, labels = name_labels.partition("{")
        pairs = {}
        for part in labels.rstrip("}").split(","):
            if "=" in part:
                key, _, raw = part.partition("=")
                pairs[key] = raw.strip('"')
        samples.setdefault(name, []).append((pairs, float(value)))
    return samples


def main():
    seen = {}
    receiver = start_hook_receiver()

    status, _, ready = call("GET", "/readyz", token=None)
    check(status == 200 and ready["ready"] is True, "/readyz: %s %s" % (status, ready))

    status, kind, problem = call("GET", "/v1/recordings", token=None)
    check(status == 401 and kind.startswith("application/problem+json"), "401 without a token")
    check(problem["status"] == 401 and problem["type"].endswith("unauthorized"), "401 problem body")
    status, _, _ = call("GET", "/v1/recordings", token="not-a-token")
    check(status == 401, "401 for an unknown token")
    command = {"recording": "py1", "cname": "pyroom", "uid": "4001", "mode": "mix"}
    status, kind, problem = call("POST", "/v1/recordings", command, token=READ_TOKEN)
    check(status == 403 and problem["status"] == 403, "403 for a read-only token's change")
    seen["unauthorized"] = 401
    seen["forbidden"] = 403

    # Follow the events from now on before starting, so none is missed.
    stream = sse_events("/v1/events")
    first = next(stream)
    check(first[0] == "ready", "the stream opens with ready")

    status, _, started = call("POST", "/v1/recordings", command)
    check(status == 201 and started["recording"] == "py1", "start answered 201: %s" % status)
    status, _, again = call("POST", "/v1/recordings", command)
    check(status == 200 and again["recording"] == "py1", "the same start again answered 200")
    status, _, conflict = call("POST", "/v1/recordings", dict(command, cname="other"))
    check(status == 409 and conflict["status"] == 409, "another body for py1 answered 409")
    seen["start"] = [201, 200, 409]

    ids, types = until_event(stream, "started", "py1")
    check(len(ids) > 0, "the started event carries its log position as id")
    seen["sse"] = types
    last_id = ids[-1]

    status, _, listed = call("GET", "/v1/recordings?state=recording", token=READ_TOKEN)
    check(status == 200, "list answered 200")
    check([r["recording"] for r in listed["recordings"]] == ["py1"], "py1 listed as recording")
    status, _, one = call("GET", "/v1/recordings/py1")
    check(status == 200 and one["state"] == "recording" and one["sid"], "get py1")
    seen["sid"] = one["sid"]

    # The outbound webhook for that start, signed: verified here, and a tampered copy is not.
    deadline = time.monotonic() + BOUND_S
    while True:
        try:
            headers, body = hooks.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            fail("no outbound webhook for py1's start within the bound")
        check(verify_webhook(headers, body, HOOK_SECRET), "a webhook whose signature does not verify")
        check(not verify_webhook(headers, body + b" ", HOOK_SECRET), "a tampered body verified")
        payload = json.loads(body)
        if payload["type"] == "recording.started" and payload["data"]["recording"] == "py1":
            seen["webhook"] = {"id": headers["webhook-id"], "type": payload["type"], "verified": True}
            break

    status, _, stopping = call("POST", "/v1/recordings/py1/stop")
    check(status == 202 and stopping["state"] in ("stopping", "stopped"), "stop answered 202")
    status, _, _ = call("POST", "/v1/recordings/nope/stop")
    check(status == 404, "stop of an unknown recording answered 404")

    # A new connection resuming after the started event: the stop's events, none before.
    resumed = sse_events("/v1/events", last_event_id=last_id)
    check(next(resumed)[0] == "ready", "the resumed stream opens with ready")
    _, resumed_types = until_event(resumed, "stopped", "py1")
    check("started" not in resumed_types, "a resumed stream repeats nothing before Last-Event-ID")
    seen["resumed"] = resumed_types

    status, kind, text = call("GET", "/metrics", token=None)
    check(status == 200 and kind.startswith("text/plain"), "/metrics is Prometheus text")
    metrics = parse_prometheus(text)
    by_state = {labels["state"]: value for labels, value in metrics["recwatch_recordings"]}
    check(sum(by_state.values()) >= 1, "recordings by state")
    applied = [v for labels, v in metrics["recwatch_inputs_total"] if labels["decision"] == "applied"]
    check(applied and applied[0] > 0, "inputs by decision")
    check(
        sum(v for _, v in metrics["recwatch_agora_webhook_request_duration_seconds_count"]) > 0,
        "webhook latency histogram",
    )
    check(metrics["recwatch_log_append_duration_seconds_count"][0][1] > 0, "log append latency")
    check("nodejs_eventloop_lag_seconds" in metrics, "event-loop lag")
    calls = {(l["call"], l["outcome"]): v for l, v in metrics["recwatch_agora_calls_total"]}
    check(calls.get(("start", "ok"), 0) >= 1, "Agora calls by outcome")
    seen["metrics"] = sorted(name for name in metrics if name.startswith("recwatch_"))

    receiver.shutdown()
    print(json.dumps({"ok": True, "seen": seen}))


if __name__ == "__main__":
    main()
