-- The morning digest (core/coordinator/reports): one row per day. The
-- primary key is what makes a digest go out once however many coordinators
-- share the database: the one whose insert went in sends it.
CREATE TABLE daily_digests (
  day      date PRIMARY KEY,
  timezone text NOT NULL,
  owner    text NOT NULL,
  at       timestamptz NOT NULL DEFAULT now(),
  markdown text NOT NULL DEFAULT '',
  digest   bytea                    -- tend.DailyDigest, once made
);
