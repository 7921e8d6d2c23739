-- Maintenance windows (core/coordinator/schedules): schedules managed live,
-- one row per window run, and the report of each run.

-- Every schedule, from schedules.toml (source 'file') or tendctl.
CREATE TABLE schedules (
  name        text PRIMARY KEY,
  cron        text NOT NULL,
  timezone    text NOT NULL,
  plugin      text NOT NULL,
  paused      boolean NOT NULL DEFAULT false,
  source      text NOT NULL,                -- file, tendctl
  definition  bytea NOT NULL,               -- tend.Schedule
  -- Windows opening at or before this are not this schedule's to run or to
  -- call missed: it did not exist yet, was paused, or fired differently.
  fires_after timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL DEFAULT ''
);

-- One row per window (or run-now). The unique key is what makes a window
-- fire once however many coordinators share the database: each tries to
-- insert the row, the index entry locks the row for the first, and only the
-- one whose insert went in runs the window.
CREATE TABLE schedule_runs (
  id           text PRIMARY KEY,
  schedule     text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end   timestamptz NOT NULL,
  trigger      text NOT NULL,               -- window, run-now
  state        text NOT NULL,               -- running, succeeded, failed, escalated, window-closed, missed, interrupted, no-hosts
  owner        text NOT NULL,               -- the coordinator that claimed it
  seed         bigint,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  text         text NOT NULL DEFAULT '',
  UNIQUE (schedule, window_start)
);
CREATE INDEX schedule_runs_by_time ON schedule_runs (started_at DESC);
CREATE INDEX schedule_runs_running ON schedule_runs (owner) WHERE state = 'running';

-- The report of each finished run (tend.report.maintenance).
CREATE TABLE maintenance_reports (
  run_id   text PRIMARY KEY,
  schedule text NOT NULL,
  at       timestamptz NOT NULL,
  state    text NOT NULL,
  text     text NOT NULL,
  report   bytea NOT NULL                   -- tend.MaintenanceReport
);
CREATE INDEX maintenance_reports_by_time ON maintenance_reports (at DESC);
