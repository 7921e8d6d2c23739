-- tend's store, version 2: the alert loop. Incidents from alert to
-- resolution, the knowledge base of earned confidence, approvals waiting for
-- a human, circuit breakers and the emergency stop: everything that must
-- outlive a coordinator restart.

-- One row per alert occurrence (the table came with version 1).
ALTER TABLE incidents
  ADD COLUMN status               text NOT NULL DEFAULT 'received',
  -- received, held, pending_approval, running, verifying, escalated, closed
  ADD COLUMN annotations          jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN generator_url        text NOT NULL DEFAULT '',
  ADD COLUMN pattern              text NOT NULL DEFAULT '',  -- route name, or alert name
  ADD COLUMN plugin               text NOT NULL DEFAULT '',
  ADD COLUMN automatic            boolean NOT NULL DEFAULT false,  -- ran without approval
  ADD COLUMN task                 bytea,                  -- tend.Task as planned
  ADD COLUMN target               text NOT NULL DEFAULT '',
  ADD COLUMN service              text NOT NULL DEFAULT '',
  ADD COLUMN host                 text NOT NULL DEFAULT '',
  ADD COLUMN summary              text NOT NULL DEFAULT '',  -- the fix's summary line
  ADD COLUMN outcome              text NOT NULL DEFAULT '',  -- verified, failed, cancelled
  ADD COLUMN silence_id           text NOT NULL DEFAULT '',
  ADD COLUMN escalated            boolean NOT NULL DEFAULT false,
  ADD COLUMN repeats              integer NOT NULL DEFAULT 0,
  ADD COLUMN received_at          timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN last_seen_at         timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN dispatched_at        timestamptz,
  ADD COLUMN fixed_at             timestamptz,            -- the fix's summary
  ADD COLUMN alert_resolved_at    timestamptz,            -- Alertmanager said resolved
  ADD COLUMN due_at               timestamptz,            -- end of a hold, or of verification
  ADD COLUMN time_to_remediate_ms bigint;                 -- started_at to verified
-- resolved_at (version 1) is when the incident ended; while it is NULL the
-- incident is open, and one open incident per fingerprint is what makes two
-- Alertmanagers (or two coordinators) one occurrence.
CREATE UNIQUE INDEX incidents_one_open_per_fingerprint ON incidents (fingerprint)
  WHERE resolved_at IS NULL;
CREATE INDEX incidents_by_task ON incidents (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX incidents_by_received ON incidents (received_at DESC);

-- The knowledge base: per (alert pattern, plugin), what tend has learned.
-- Confidence is computed from prior, successes and failures (see
-- core/coordinator/decisions/confidence_model.h), not stored.
CREATE TABLE knowledge_base (
  pattern              text NOT NULL,            -- route name, or alert name
  plugin               text NOT NULL DEFAULT '', -- '' while no route covers the pattern
  prior                real NOT NULL,
  occurrences          integer NOT NULL DEFAULT 0,
  attempts             integer NOT NULL DEFAULT 0,
  successes            integer NOT NULL DEFAULT 0,  -- verified
  failures             integer NOT NULL DEFAULT 0,
  consecutive_failures integer NOT NULL DEFAULT 0,
  last_outcome         text NOT NULL DEFAULT '',
  last_at              timestamptz,
  first_seen           timestamptz NOT NULL,
  override             text NOT NULL DEFAULT '',    -- run, approval, escalate: a human's say
  override_by          text NOT NULL DEFAULT '',
  override_reason      text NOT NULL DEFAULT '',
  override_at          timestamptz,
  PRIMARY KEY (pattern, plugin)
);

-- Every fix's outcome, for the knowledge base over time.
CREATE TABLE kb_outcomes (
  id          bigserial PRIMARY KEY,
  pattern     text NOT NULL,
  plugin      text NOT NULL,
  at          timestamptz NOT NULL,
  outcome     text NOT NULL,          -- verified, failed
  automatic   boolean NOT NULL,
  task_id     text NOT NULL,
  incident_id bigint NOT NULL
);
CREATE INDEX kb_outcomes_by_pattern ON kb_outcomes (pattern, plugin, at DESC);

-- Fixes that wait for a human, and how each was answered. A pending one
-- outlives a coordinator restart and expires at expires_at (denied, then
-- escalated).
CREATE TABLE approvals (
  task_id      text PRIMARY KEY,
  incident_id  bigint NOT NULL,
  pattern      text NOT NULL,
  plugin       text NOT NULL,
  target       text NOT NULL,
  confidence   real,
  why          text NOT NULL,
  requested_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  state        text NOT NULL DEFAULT 'pending',  -- pending, approved, denied, expired, cancelled
  answered_by  text NOT NULL DEFAULT '',
  comment      text NOT NULL DEFAULT '',
  answered_at  timestamptz
);
CREATE INDEX approvals_pending ON approvals (expires_at) WHERE state = 'pending';

-- Circuit breakers that are not simply closed, and when each was last reset
-- (automatic fixes and outcomes before reset_at no longer count). The
-- windows they count over are rebuilt from incidents at a restart.
CREATE TABLE breakers (
  kind          text NOT NULL,           -- rate, pattern, fleet
  key           text NOT NULL,           -- service@host, the pattern, or 'fleet'
  state         text NOT NULL,           -- closed, open, half_open
  reason        text NOT NULL DEFAULT '',
  opened_at     timestamptz,
  probe_task_id text NOT NULL DEFAULT '',
  reset_at      timestamptz,
  PRIMARY KEY (kind, key)
);

-- Switches of the alert loop that outlive a restart: 'emergency_stop'
-- (tendctl pause --all, lifted by tendctl resume --all).
CREATE TABLE alert_controls (
  name   text PRIMARY KEY,
  active boolean NOT NULL,
  by     text NOT NULL DEFAULT '',
  reason text NOT NULL DEFAULT '',
  at     timestamptz NOT NULL
);
