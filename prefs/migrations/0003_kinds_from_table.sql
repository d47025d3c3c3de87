-- fmn preferences, version 3: the destination kinds, and which of them carry a token, are no
-- longer spelled here. The binary's table of kinds (core/destination_kinds.h) writes that CHECK
-- itself (the constraint fmn_destinations_kinds, see prefs/pg_migrations.cpp), so that adding a
-- kind needs no migration. Version 1's two checks that name the kind go (PostgreSQL named them,
-- hence the lookup by definition).
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint
           WHERE conrelid = 'fmn_destinations'::regclass AND contype = 'c'
             AND pg_get_constraintdef(oid) LIKE '%kind%'
  LOOP
    EXECUTE format('ALTER TABLE fmn_destinations DROP CONSTRAINT %I', c.conname);
  END LOOP;
END $$;
