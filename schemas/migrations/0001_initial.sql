-- tend's store, version 1: the fleet, every task and result, and the audit
-- trail. Applied by tend-coordinator at start (core/store/migrations.cpp) in
-- one transaction; never edit a released migration, add the next one.

-- Every node that ever sent a heartbeat.
CREATE TABLE nodes (
  host           text PRIMARY KEY,
  role           text NOT NULL,
  tags           text[] NOT NULL DEFAULT '{}',
  agent_version  text NOT NULL DEFAULT '',
  plugins        jsonb NOT NULL DEFAULT '[]',  -- [{"name": ..., "version": ...}]
  paused         boolean NOT NULL DEFAULT false,
  first_seen     timestamptz NOT NULL,
  last_seen      timestamptz NOT NULL,
  last_heartbeat bytea NOT NULL                -- tend.Heartbeat, to restore the registry whole
);

-- Health figures from heartbeats, kept as samples for trends.
CREATE TABLE node_health (
  host                  text NOT NULL,
  at                    timestamptz NOT NULL,
  disk_used_percent_max real,
  mem_used_percent      real,
  load1                 real,
  failed_units          integer,
  mounts                jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (host, at)
);

-- One row per task, written when it is dispatched and completed when its
-- summary is known.
CREATE TABLE tasks (
  id             text PRIMARY KEY,
  plugin         text NOT NULL,
  origin         text NOT NULL,           -- submit, direct, alert, schedule
  target         text NOT NULL,           -- "roles=web-server tags=production"
  params         jsonb NOT NULL DEFAULT '{}',
  dry_run        boolean NOT NULL DEFAULT false,
  timeout_s      integer NOT NULL,
  reason         text NOT NULL DEFAULT '',
  requested_by   text NOT NULL DEFAULT '',
  expected_hosts text[] NOT NULL,
  dispatched_at  timestamptz NOT NULL,
  deadline       timestamptz NOT NULL,    -- timeout + grace: when silence becomes an answer
  owner          text NOT NULL,           -- the coordinator following it
  reply_to       text NOT NULL DEFAULT '',-- where a requester waits for the summary
  reply_json     boolean NOT NULL DEFAULT true,
  task           bytea NOT NULL,          -- tend.Task as dispatched
  finished_at    timestamptz,
  complete       boolean,
  expected       integer,
  succeeded      integer,
  failed         integer,
  text           text,                    -- the summary line
  summary        bytea                    -- tend.Summary
);
CREATE INDEX tasks_unfinished ON tasks (owner) WHERE finished_at IS NULL;
CREATE INDEX tasks_by_time ON tasks (dispatched_at DESC);
CREATE INDEX tasks_by_plugin ON tasks (plugin, dispatched_at DESC);

-- Agents that acknowledged a task: tells "unreachable" from "no result".
CREATE TABLE task_acks (
  task_id text NOT NULL,
  host    text NOT NULL,
  at      timestamptz NOT NULL,
  PRIMARY KEY (task_id, host)
);

-- One row per node per task. No foreign key to tasks: a result is stored
-- even when its task row never made it (nothing an agent sent is lost).
CREATE TABLE results (
  task_id     text NOT NULL,
  host        text NOT NULL,
  plugin      text NOT NULL,
  status      text NOT NULL,              -- SUCCEEDED, FAILED, TIMED_OUT, CRASHED, REJECTED
  summary     text NOT NULL,
  error       text NOT NULL,
  verified    boolean NOT NULL,
  dry_run     boolean NOT NULL,
  outputs     jsonb NOT NULL DEFAULT '{}',
  figures     jsonb NOT NULL DEFAULT '{}',
  started_at  timestamptz,
  finished_at timestamptz,
  duration_ms bigint NOT NULL,
  stored_at   timestamptz NOT NULL DEFAULT now(),
  result      bytea NOT NULL,             -- tend.Result as the agent sent it
  PRIMARY KEY (task_id, host)
);
CREATE INDEX results_by_host ON results (host, finished_at DESC);

-- The audit trail: append-only, each row chained to the one before by
-- SHA-256 over its content and the previous hash (core/store/audit_chain.h).
-- `detail` is kept as the exact JSON text that was hashed.
CREATE TABLE audit_log (
  id        bigint PRIMARY KEY,           -- 1, 2, 3, ... with no gaps
  at        timestamptz NOT NULL,
  actor     text NOT NULL,                -- who: an operator, a host, a coordinator
  action    text NOT NULL,                -- submit, dispatch, result, summary, control, reload, ...
  task_id   text NOT NULL DEFAULT '',
  target    text NOT NULL DEFAULT '',
  reason    text NOT NULL DEFAULT '',
  detail    text NOT NULL DEFAULT '{}',
  prev_hash bytea NOT NULL,
  hash      bytea NOT NULL
);
CREATE INDEX audit_by_task ON audit_log (task_id) WHERE task_id <> '';

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
    USING HINT = 'rows of the audit trail are never changed or removed';
END $$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER;

-- One row per alert occurrence, from alert to resolution (filled in by the
-- alert intake).
CREATE TABLE incidents (
  id            bigserial PRIMARY KEY,
  fingerprint   text NOT NULL,
  alertname     text NOT NULL,
  labels        jsonb NOT NULL DEFAULT '{}',
  started_at    timestamptz NOT NULL,
  decision      text NOT NULL DEFAULT '',
  confidence    real,
  why           text NOT NULL DEFAULT '',
  task_id       text,
  resolved_at   timestamptz,
  resolution    text NOT NULL DEFAULT ''
);
CREATE INDEX incidents_open ON incidents (started_at DESC) WHERE resolved_at IS NULL;

-- Coordinators alive, so one can take over the tasks of another that died.
CREATE TABLE coordinators (
  name      text PRIMARY KEY,
  last_seen timestamptz NOT NULL
);
