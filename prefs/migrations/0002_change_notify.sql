-- Change feed: after every statement that touches a user's preferences, NOTIFY fmn_prefs with
-- the user's name as payload (PostgreSQL folds duplicates within a transaction, and delivers
-- them at commit). A session that sets fmn.bulk = 'on' (bulk import) sends a single '*'
-- instead, meaning "reload everything".
-- Transition tables allow one event per trigger, hence three triggers per table.

CREATE FUNCTION fmn_notify_user_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text;
BEGIN
  IF current_setting('fmn.bulk', true) = 'on' THEN
    PERFORM pg_notify('fmn_prefs', '*');
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    FOR changed IN SELECT DISTINCT name FROM old_rows LOOP
      PERFORM pg_notify('fmn_prefs', changed);
    END LOOP;
  ELSIF TG_OP = 'INSERT' THEN
    FOR changed IN SELECT DISTINCT name FROM new_rows LOOP
      PERFORM pg_notify('fmn_prefs', changed);
    END LOOP;
  ELSE  -- UPDATE: a rename is the old name gone and the new one added
    FOR changed IN SELECT name FROM old_rows UNION SELECT name FROM new_rows LOOP
      PERFORM pg_notify('fmn_prefs', changed);
    END LOOP;
  END IF;
  RETURN NULL;
END $$;

-- For tables with a user_id column. Rows whose user is already gone (cascading deletes) are
-- covered by the user's own notification.
CREATE FUNCTION fmn_notify_child_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text;
BEGIN
  IF current_setting('fmn.bulk', true) = 'on' THEN
    PERFORM pg_notify('fmn_prefs', '*');
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    FOR changed IN SELECT u.name FROM fmn_users u
                   WHERE u.id IN (SELECT user_id FROM old_rows) LOOP
      PERFORM pg_notify('fmn_prefs', changed);
    END LOOP;
  ELSIF TG_OP = 'INSERT' THEN
    FOR changed IN SELECT u.name FROM fmn_users u
                   WHERE u.id IN (SELECT user_id FROM new_rows) LOOP
      PERFORM pg_notify('fmn_prefs', changed);
    END LOOP;
  ELSE
    FOR changed IN SELECT u.name FROM fmn_users u
                   WHERE u.id IN (SELECT user_id FROM old_rows UNION SELECT user_id FROM new_rows)
    LOOP
      PERFORM pg_notify('fmn_prefs', changed);
    END LOOP;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER fmn_users_insert AFTER INSERT ON fmn_users
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fmn_notify_user_rows();
CREATE TRIGGER fmn_users_update AFTER UPDATE ON fmn_users
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fmn_notify_user_rows();
CREATE TRIGGER fmn_users_delete AFTER DELETE ON fmn_users
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION fmn_notify_user_rows();

CREATE TRIGGER fmn_destinations_insert AFTER INSERT ON fmn_destinations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fmn_notify_child_rows();
CREATE TRIGGER fmn_destinations_update AFTER UPDATE ON fmn_destinations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fmn_notify_child_rows();
CREATE TRIGGER fmn_destinations_delete AFTER DELETE ON fmn_destinations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION fmn_notify_child_rows();

CREATE TRIGGER fmn_rules_insert AFTER INSERT ON fmn_rules
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fmn_notify_child_rows();
CREATE TRIGGER fmn_rules_update AFTER UPDATE ON fmn_rules
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fmn_notify_child_rows();
CREATE TRIGGER fmn_rules_delete AFTER DELETE ON fmn_rules
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION fmn_notify_child_rows();

CREATE TRIGGER fmn_deliveries_insert AFTER INSERT ON fmn_deliveries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fmn_notify_child_rows();
CREATE TRIGGER fmn_deliveries_update AFTER UPDATE ON fmn_deliveries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION fmn_notify_child_rows();
CREATE TRIGGER fmn_deliveries_delete AFTER DELETE ON fmn_deliveries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION fmn_notify_child_rows();
