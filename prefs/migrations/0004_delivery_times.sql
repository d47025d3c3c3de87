-- fmn preferences, version 4: time-aware delivery (docs/preferences.md, "Delivery times").
-- A user's time zone and snooze; a destination's quiet hours and snooze; a delivery's daily
-- digest time. Times of day are minutes after local midnight, -1 for none; instants are Unix
-- seconds, 0 for none. The zone name is checked by fmn against the system's tz database.
ALTER TABLE fmn_users
  ADD COLUMN tz text NOT NULL DEFAULT '' CHECK (length(tz) <= 64 AND tz !~ '[[:cntrl:][:space:]]'),
  ADD COLUMN snoozed_until bigint NOT NULL DEFAULT 0 CHECK (snoozed_until >= 0);

ALTER TABLE fmn_destinations
  ADD COLUMN quiet_from smallint NOT NULL DEFAULT -1 CHECK (quiet_from BETWEEN -1 AND 1439),
  ADD COLUMN quiet_to smallint NOT NULL DEFAULT -1 CHECK (quiet_to BETWEEN -1 AND 1439),
  ADD COLUMN snoozed_until bigint NOT NULL DEFAULT 0 CHECK (snoozed_until >= 0),
  ADD CHECK ((quiet_from = -1) = (quiet_to = -1));

ALTER TABLE fmn_deliveries
  ADD COLUMN at_minute smallint NOT NULL DEFAULT -1 CHECK (at_minute BETWEEN -1 AND 1439);
