#!/usr/bin/env python3
"""Writes the seed inputs of tests/fuzz/corpus/ from real examples: the
configs in etc/, the JSON in README.md, Alertmanager payloads and routes from
the tests, and the same messages in protobuf (protoc --encode). Run it from
anywhere after changing an example; it rewrites only seed-*, never the
regression inputs (crash-*) that scripts/fuzz adds."""

import pathlib
import struct
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests/fuzz/corpus"


def seed(harness, name, data):
    folder = CORPUS / harness
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (folder / f"seed-{name}").write_bytes(data)


def protobuf(message, proto, text):
    return subprocess.run(
        ["protoc", f"--encode=tend.{message}", "-I", str(ROOT), "-I", "/usr/include",
         f"schemas/{proto}"],
        input=text.encode(), capture_output=True, check=True).stdout


def frame(payload):
    return struct.pack(">I", len(payload)) + payload


# --- messages: task, control, approval, summary (README.md) -----------------
TASKS = {
    "readme-task": '{"id": "fix-42", "target": {"hosts": ["web-01"], "roles": ["web-server"], '
                   '"tags": ["production"], "all": false}, "plugin": "noop", '
                   '"params": {"sleep_ms": 200}, "dry_run": false, "timeout_s": 300, '
                   '"reason": "DiskFull on web-01", "requested_by": "oncall", "wait": true}',
    "noop": '{"plugin":"noop"}',
    "noop-id": '{"id":"fix-42","plugin":"noop"}',
    "submit": '{"target":{"roles":["web-server"]},"plugin":"noop","params":{"sleep_ms":200}}',
    "exec": '{"id":"t-1","target":{"hosts":["web-01"]},"plugin":"exec","params":{"command":'
            '"/usr/bin/systemctl","args":["reload","nginx"],"env":["LANG=C"],"timeout":"30s",'
            '"expect_exit":0,"verify_command":"/usr/bin/curl"}}',
    "exec-script": '{"plugin":"exec","dry_run":true,"params":{"script":"rotate-logs.sh"}}',
    "disk-cleanup": '{"target":{"all":true},"plugin":"disk-cleanup","params":{"path":"/var",'
                    '"target_usage":80,"max_age":"7d","categories":["logs","temp"],'
                    '"action":"gzip","min_size":"1MiB"}}',
    "service-restart": '{"target":{"tags":["nginx"]},"plugin":"service-restart","params":'
                       '{"service":"nginx","health_url":"http://127.0.0.1/health",'
                       '"attempts":3,"backoff":"2s"}}',
    "forced": '{"plugin":"package-update","force":true,"approved_by":"alice",'
              '"reason":"CVE-2026-0001"}',
}
for name, body in TASKS.items():
    seed("messages", f"task-{name}", "t" + body)
seed("messages", "task-noop-protobuf", b"T" + protobuf("Task", "task.proto", 'plugin: "noop"'))
seed("messages", "task-exec-protobuf", b"T" + protobuf("Task", "task.proto", '''
  id: "t-2" target { hosts: "web-01" } plugin: "exec" timeout_s: 60 reason: "by hand"
  params { fields { key: "command" value { string_value: "/usr/bin/uptime" } }
           fields { key: "args" value { list_value { values { string_value: "-p" } } } } }'''))
seed("messages", "task-disk-cleanup-protobuf", b"T" + protobuf("Task", "task.proto", '''
  target { all: true } plugin: "disk-cleanup" dry_run: true
  params { fields { key: "target_usage" value { number_value: 85 } }
           fields { key: "max_age" value { string_value: "14d" } } }'''))
seed("messages", "control-pause", 'c{"action":"pause","by":"alice","reason":"disk swap"}')
seed("messages", "control-reload", 'c{"action":"reload"}')
seed("messages", "control-pause-protobuf",
     b"C" + protobuf("Control", "control.proto", 'action: "pause" by: "alice"'))
seed("messages", "approval", 'a{"by": "alice", "comment": "go ahead"}')
seed("messages", "approval-force", 'a{"by": "alice", "comment": "go", "force": true}')
seed("messages", "approval-protobuf",
     b"A" + protobuf("ApprovalAnswer", "approval.proto", 'by: "alice" comment: "go"'))
SUMMARY = ('{"task_id": "t-6f1c0a9e2b7d4c35", "plugin": "noop", "expected": 3, "responded": 2, '
           '"succeeded": 1, "failed": 1, "missing": ["web-03"], "unreachable": ["web-03"], '
           '"no_result": [], "complete": false, "duration_ms": 3004, '
           '"text": "1/3 succeeded; web-02 FAILED: simulated failure; web-03 unreachable", '
           '"results": [{"host": "web-01", "status": "SUCCEEDED", "summary": "noop slept 200 ms"}, '
           '{"host": "web-02", "status": "FAILED", "error": "simulated failure"}]}')
seed("messages", "summary", "s" + SUMMARY)
seed("messages", "summary-protobuf", b"S" + protobuf("Summary", "summary.proto", '''
  task_id: "t-1" plugin: "noop" expected: 2 responded: 2 succeeded: 1 failed: 1 complete: true
  text: "1/2 succeeded; web-02 CRASHED: SIGSEGV"
  results { host: "web-01" status: SUCCEEDED summary: "ok" }
  results { host: "web-02" status: CRASHED error: "SIGSEGV" }'''))

# --- alertmanager_webhook: Alertmanager 0.25's body (tests) -----------------
FIRING = ('{"receiver":"tend","status":"firing","alerts":[{"status":"firing",'
          '"labels":{"alertname":"DiskFull","instance":"web-01:9100","severity":"critical",'
          '"mountpoint":"/var"},"annotations":{"summary":"disk 92%"},'
          '"startsAt":"2026-11-23T08:43:02.498378164Z","endsAt":"0001-01-01T00:00:00Z",'
          '"generatorURL":"","fingerprint":"1769da58daff90b1"}],'
          '"groupLabels":{"alertname":"DiskFull","instance":"web-01:9100"},'
          '"commonLabels":{"alertname":"DiskFull","instance":"web-01:9100","severity":"critical"},'
          '"commonAnnotations":{"summary":"disk 92%"},"externalURL":"http://vm:18993",'
          '"version":"4","groupKey":"{}:{alertname=\\"DiskFull\\", instance=\\"web-01:9100\\"}",'
          '"truncatedAlerts":0}')
seed("alertmanager_webhook", "disk-full", FIRING)
seed("alertmanager_webhook", "minimal",
     '{"version":"4","alerts":[{"status":"firing","labels":{"alertname":"DiskFull"}}]}')
seed("alertmanager_webhook", "service-down",
     '{"version":"4","receiver":"tend","alerts":[{"status":"firing","labels":{"alertname":'
     '"ServiceDown","instance":"web-02.example.com:9100","service":"nginx","role":"web-server"},'
     '"annotations":{"description":"nginx is down"},"startsAt":"2026-11-23T08:43:02Z"},'
     '{"status":"resolved","labels":{"alertname":"PostgresTableBloat","host":"db-01",'
     '"relname":"orders"},"endsAt":"2026-11-23T09:00:00Z"}]}')
seed("alertmanager_webhook", "future-fields",
     '{"version":"4","newField":{"x":1},"alerts":[{"status":"resolved","labels":'
     '{"alertname":"A"},"somethingNew":true}]}')

# --- configs: etc/ and the README's snippets --------------------------------
for harness, example in [("agent_toml", "agent.toml"), ("coordinator_toml", "coordinator.toml"),
                         ("routes_toml", "routes.toml"), ("schedules_toml", "schedules.toml")]:
    seed(harness, "etc", (ROOT / "etc" / example).read_bytes())
readme = (ROOT / "README.md").read_text()
for harness, header in [("agent_toml", "`/etc/tend/agent.toml`"),
                        ("coordinator_toml", "`/etc/tend/coordinator.toml`")]:
    block = readme[readme.index(header):]
    block = block[block.index("```toml\n") + 8:]
    seed(harness, "readme", block[:block.index("```")])
seed("routes_toml", "tests", '''
[[route]]
name = "disk-full-var"
alert = "DiskFull"
matchers = ['mountpoint=~"/var.*"', 'env!="staging"', 'severity!~"info|debug"']
plugin = "disk-cleanup"
params = { paths = ["{{ labels.mountpoint }}/log"], max_age_days = 7, dry = false }
prior_confidence = 0.95
risk = "low"
verify_within = "10m"
silence = true
timeout_s = 120

[[route]]
alert = "ServiceDown"
plugin = "service-restart"
params = { service = "{{ labels.service }}", note = "{{ annotations.summary }} on {{ short_host }}" }
target = { roles = ["{{ labels.role }}"], tags = ["{{ alertname }}"] }
service = "{{ labels.service }}"
requires_approval = true
''')

# --- cron_time_zone: the known firings of zoned_schedule_test.cpp ------------
for i, (cron, zone, at) in enumerate([
        ("0 2 * * sun", "Europe/Berlin", 1795132800),       # 2026-11-20 00:00 UTC
        ("30 2 * * *", "Europe/Berlin", 1774699200),        # spring forward
        ("*/15 2 * * *", "Europe/Berlin", 1774742400),
        ("30 2 * * *", "Europe/Berlin", 1792843200),        # fall back
        ("0 * * * *", "Europe/Berlin", 1792888200),
        ("30 1 * * *", "America/New_York", 1793448000),
        ("30 2 * * *", "Australia/Sydney", 1775260800),
        ("15 2 * * *", "Australia/Lord_Howe", 1790985600),  # a half-hour gap
        ("0 9 * * mon-fri", "Asia/Kolkata", 1795147200),
        ("0 0 29 2 *", "UTC", 1767225600),                  # leap day
        ("30 0 2 * * sun", "Europe/London", 1795428000),     # six fields
        ("@weekly", "America/Sao_Paulo", 1795428000),
        ("0-30/10 22-23,0-5 1,15 jan-mar,oct-dec 1-5", "Pacific/Chatham", 1795428000)]):
    seed("cron_time_zone", f"{i:02d}", f"{cron}\n{zone}\n{at}\n")

# --- runner_frames: what the agent and the runner say to each other ---------
request = protobuf("RunnerRequest", "runner.proto", '''
  plugin_path: "/usr/lib/tend/plugins/disk-cleanup.so" memory_limit_bytes: 1073741824
  open_files_limit: 1024
  task { id: "t-1" plugin: "disk-cleanup" dry_run: true
         params { fields { key: "path" value { string_value: "/var" } } } }
  settings { key: "log_dirs" value { items: "/var/log" items: "/srv/log" is_list: true } }''')
response = protobuf("RunnerResponse", "runner.proto", '''
  succeeded: true verified: true summary: "freed 1.2 GiB on /var"
  outputs { key: "usage_before" value: "92%" } figures { key: "freed_bytes" value: 1.2e9 }''')
rejected = protobuf("RunnerResponse", "runner.proto", '''
  rejected: true error: "plugin exec, param 'command': \\"x\\" does not match the pattern ^/.+"''')
preload = protobuf("ZygoteRequest", "runner.proto", '''
  kind: PRELOAD preload: "/usr/lib/tend/plugins/noop.so" preload: "/usr/lib/tend/plugins/exec.so"''')
forked = protobuf("ZygoteReply", "runner.proto", "kind: FORKED pid: 4242")
seed("runner_frames", "request", frame(request))
seed("runner_frames", "response", frame(response))
seed("runner_frames", "rejected", frame(rejected))
seed("runner_frames", "zygote", frame(preload) + frame(forked))
seed("runner_frames", "request-then-cut", frame(request) + frame(response)[:9])

# --- copy_text: programs of CopyRows calls (see copy_text.cpp) ---------------
def text(s):
    b = s.encode() if isinstance(s, str) else s
    return bytes([1, 0, len(b)]) + b  # not a row end, text, length, bytes


def op(kind, payload=b""):
    return bytes([1, kind]) + payload


ROW_END = bytes([0])
seed("copy_text", "result-row",
     text("t-6f1c0a9e2b7d4c35") + text("web-01") + text("noop") + text("SUCCEEDED")
     + text("noop slept 200 ms") + op(1) + op(4, b"\x01") + op(3, struct.pack("<d", 0.25))
     + op(6, struct.pack("<q", 1795428000123456)) + op(2, struct.pack("<q", 214))
     + op(5, bytes([4]) + b"\x08\x01\x12\x00") + ROW_END
     + op(7, bytes([3]) + bytes([6]) + b"web-01" + bytes([3]) + b'a"b' + bytes([3]) + b"c\\d"))
seed("copy_text", "escapes",
     text("tab\there\nnewline\\backslash\rcr") + text("\\N") + text("\\.")
     + text(b"caf\xc3\xa9 \xff\xfe \x00 end") + text(b"\xed\xa0\x80 surrogate")
     + op(3, struct.pack("<d", float("nan"))) + op(3, struct.pack("<d", float("-inf")))
     + op(6, struct.pack("<q", -62135596800000000)))
