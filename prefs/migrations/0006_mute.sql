-- fmn preferences, version 6: a user's and a destination's mute (docs/preferences.md, "Mute").
-- What matches before `muted_until` (Unix seconds, 0 for none) is dropped, never sent.
ALTER TABLE fmn_users
  ADD COLUMN muted_until bigint NOT NULL DEFAULT 0 CHECK (muted_until >= 0);

ALTER TABLE fmn_destinations
  ADD COLUMN muted_until bigint NOT NULL DEFAULT 0 CHECK (muted_until >= 0);
