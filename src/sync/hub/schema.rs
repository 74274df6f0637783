//! The hub's schema and access rules, as versioned migrations (`funnel_hub.meta` holds the
//! version); `funnel hub init` applies those not yet applied. Never edit a released one: append.
//!
//! Members are PostgreSQL roles; row-level security policies, not the client, decide what each
//! may read and write: a seller writes their own cards and reads their team's, a lead writes
//! their team's, a director reads everything; sellers and leads see their team's members,
//! directors all. The hub refuses a row whose payload does not repeat the columns the policies
//! check, a stamp more than 5 minutes ahead of its clock, and an activity, a card's history
//! row or a coaching row whose fields are not what clients read. A card's history is written
//! once. Coaching (meetings, their card notes and action items) has rights of its own, which
//! follow the meeting: a director reads and writes every meeting; a lead the seller meetings
//! of their team's sellers, and reads their team's meetings with the director; a seller reads
//! their own; a seller, and a lead in a team meeting, may only tick their action items done or
//! open.

use postgres::Client;

/// Hub schema migrations, oldest first; `meta.version` counts those applied.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE funnel_hub.members (
    role_name text PRIMARY KEY,
    owner text NOT NULL,
    team text NOT NULL DEFAULT '',
    kind text NOT NULL CHECK (kind IN ('seller', 'lead', 'director'))
);

-- Plain SQL functions run as the caller, so current_user is the member asking.
CREATE FUNCTION funnel_hub.is_member() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM funnel_hub.members WHERE role_name = current_user)
$$;
-- A card belongs to its owner's team (or to the team written on it).
CREATE FUNCTION funnel_hub.may_read(card_owner text, card_team text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM funnel_hub.members me WHERE me.role_name = current_user
        AND (me.kind = 'director' OR me.owner = card_owner OR me.team = card_team
             OR EXISTS (SELECT 1 FROM funnel_hub.members o
                        WHERE o.owner = card_owner AND o.team = me.team)))
$$;
CREATE FUNCTION funnel_hub.may_write(card_owner text, card_team text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM funnel_hub.members me WHERE me.role_name = current_user
        AND ((me.kind = 'seller' AND me.owner = card_owner)
             OR (me.kind = 'lead' AND (me.owner = card_owner OR me.team = card_team
                 OR EXISTS (SELECT 1 FROM funnel_hub.members o
                            WHERE o.owner = card_owner AND o.team = me.team)))))
$$;

-- The pull cursor: the transaction that last wrote the row, set by the server, never the client.
CREATE FUNCTION funnel_hub.stamp_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.xid := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END
$$;

CREATE TABLE funnel_hub.funnels (
    id text PRIMARY KEY,
    name text NOT NULL UNIQUE,
    hlc text NOT NULL,
    xid bigint NOT NULL DEFAULT 0,
    data jsonb NOT NULL
);
CREATE TABLE funnel_hub.opportunities (
    id text PRIMARY KEY,
    owner text NOT NULL,
    team text NOT NULL,
    hlc text NOT NULL,
    xid bigint NOT NULL DEFAULT 0,
    data jsonb NOT NULL
);
CREATE INDEX opportunities_by_owner ON funnel_hub.opportunities (owner);
-- History, evidence, answers and people: append or newest-wins per row, all tied to a card.
CREATE TABLE funnel_hub.records (
    tbl text NOT NULL,
    id text NOT NULL,
    opportunity_id text NOT NULL REFERENCES funnel_hub.opportunities (id),
    hlc text NOT NULL,
    xid bigint NOT NULL DEFAULT 0,
    data jsonb NOT NULL,
    PRIMARY KEY (tbl, id)
);
CREATE INDEX records_by_opportunity ON funnel_hub.records (opportunity_id);

CREATE INDEX funnels_by_xid ON funnel_hub.funnels (xid);
CREATE INDEX opportunities_by_xid ON funnel_hub.opportunities (xid);
CREATE INDEX records_by_xid ON funnel_hub.records (xid);
CREATE TRIGGER stamp_xid BEFORE INSERT OR UPDATE ON funnel_hub.funnels
    FOR EACH ROW EXECUTE FUNCTION funnel_hub.stamp_xid();
CREATE TRIGGER stamp_xid BEFORE INSERT OR UPDATE ON funnel_hub.opportunities
    FOR EACH ROW EXECUTE FUNCTION funnel_hub.stamp_xid();
CREATE TRIGGER stamp_xid BEFORE INSERT OR UPDATE ON funnel_hub.records
    FOR EACH ROW EXECUTE FUNCTION funnel_hub.stamp_xid();

ALTER TABLE funnel_hub.funnels ENABLE ROW LEVEL SECURITY;
ALTER TABLE funnel_hub.opportunities ENABLE ROW LEVEL SECURITY;
ALTER TABLE funnel_hub.records ENABLE ROW LEVEL SECURITY;

-- Any role may try; the policies let members only. Nothing is ever deleted (soft deletes).
GRANT USAGE ON SCHEMA funnel_hub TO PUBLIC;
GRANT SELECT ON funnel_hub.members TO PUBLIC;
GRANT SELECT, INSERT, UPDATE ON funnel_hub.funnels, funnel_hub.opportunities, funnel_hub.records
    TO PUBLIC;

CREATE POLICY read ON funnel_hub.funnels FOR SELECT USING (funnel_hub.is_member());
CREATE POLICY add ON funnel_hub.funnels FOR INSERT WITH CHECK (funnel_hub.is_member());
CREATE POLICY change ON funnel_hub.funnels FOR UPDATE
    USING (funnel_hub.is_member()) WITH CHECK (funnel_hub.is_member());

CREATE POLICY read ON funnel_hub.opportunities FOR SELECT USING (funnel_hub.may_read(owner, team));
CREATE POLICY add ON funnel_hub.opportunities FOR INSERT
    WITH CHECK (funnel_hub.may_write(owner, team));
CREATE POLICY change ON funnel_hub.opportunities FOR UPDATE
    USING (funnel_hub.may_write(owner, team)) WITH CHECK (funnel_hub.may_write(owner, team));

-- A record follows its card: readable when the card is, writable when the card is.
CREATE POLICY read ON funnel_hub.records FOR SELECT
    USING (EXISTS (SELECT 1 FROM funnel_hub.opportunities o WHERE o.id = opportunity_id));
CREATE POLICY add ON funnel_hub.records FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM funnel_hub.opportunities o
                        WHERE o.id = opportunity_id AND funnel_hub.may_write(o.owner, o.team)));
CREATE POLICY change ON funnel_hub.records FOR UPDATE
    USING (EXISTS (SELECT 1 FROM funnel_hub.opportunities o
                   WHERE o.id = opportunity_id AND funnel_hub.may_write(o.owner, o.team)))
    WITH CHECK (EXISTS (SELECT 1 FROM funnel_hub.opportunities o
                        WHERE o.id = opportunity_id AND funnel_hub.may_write(o.owner, o.team)));
"#,
    r#"
-- The policies look the member asking up once per statement, not once per row: a function
-- call per row (may_read) made a director's first pull of a million cards spend 16 s in them.
-- What a member may read or write is a set of keys, computed once (a scalar subquery in the
-- policy); a row offers its keys and passes when the two overlap:
--   '*'            every card: a director's reads;
--   'owner:NAME'   NAME's cards: a member's own and their teammates';
--   'team:NAME'    cards written for team NAME: a member's own team;
--   'member', 'lead'  what every member reads, what leads write (see targets).
-- A seller writes only 'owner:' themself; a lead writes what they read; a director nothing.
CREATE FUNCTION funnel_hub.read_keys() RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN me.kind = 'director' THEN ARRAY['*']
                ELSE ARRAY['member', 'team:' || me.team] || array_agg('owner:' || o.owner) END
    FROM funnel_hub.members me JOIN funnel_hub.members o ON o.team = me.team
    WHERE me.role_name = current_user GROUP BY me.kind, me.team
$$;
CREATE FUNCTION funnel_hub.write_keys() RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT CASE me.kind
           WHEN 'seller' THEN ARRAY['owner:' || me.owner]
           WHEN 'lead' THEN ARRAY['lead', 'team:' || me.team] || array_agg('owner:' || o.owner)
           ELSE '{}' END
    FROM funnel_hub.members me JOIN funnel_hub.members o ON o.team = me.team
    WHERE me.role_name = current_user GROUP BY me.kind, me.owner, me.team
$$;
-- A card's keys. Plain expressions, inlined into the policies.
CREATE FUNCTION funnel_hub.card_keys(owner text, team text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['*', 'owner:' || owner, 'team:' || team]
$$;

DROP POLICY read ON funnel_hub.opportunities;
DROP POLICY add ON funnel_hub.opportunities;
DROP POLICY change ON funnel_hub.opportunities;
DROP POLICY add ON funnel_hub.records;
DROP POLICY change ON funnel_hub.records;
DROP FUNCTION funnel_hub.may_read(text, text);
DROP FUNCTION funnel_hub.may_write(text, text);

CREATE POLICY read ON funnel_hub.opportunities FOR SELECT
    USING ((SELECT funnel_hub.read_keys()) && funnel_hub.card_keys(owner, team));
CREATE POLICY add ON funnel_hub.opportunities FOR INSERT
    WITH CHECK ((SELECT funnel_hub.write_keys()) && funnel_hub.card_keys(owner, team));
CREATE POLICY change ON funnel_hub.opportunities FOR UPDATE
    USING ((SELECT funnel_hub.write_keys()) && funnel_hub.card_keys(owner, team))
    WITH CHECK ((SELECT funnel_hub.write_keys()) && funnel_hub.card_keys(owner, team));

-- A record still follows its card (the read policy, unchanged, goes through the card's).
CREATE POLICY add ON funnel_hub.records FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM funnel_hub.opportunities o WHERE o.id = opportunity_id
        AND (SELECT funnel_hub.write_keys()) && funnel_hub.card_keys(o.owner, o.team)));
CREATE POLICY change ON funnel_hub.records FOR UPDATE
    USING (EXISTS (SELECT 1 FROM funnel_hub.opportunities o WHERE o.id = opportunity_id
        AND (SELECT funnel_hub.write_keys()) && funnel_hub.card_keys(o.owner, o.team)))
    WITH CHECK (EXISTS (SELECT 1 FROM funnel_hub.opportunities o WHERE o.id = opportunity_id
        AND (SELECT funnel_hub.write_keys()) && funnel_hub.card_keys(o.owner, o.team)));
"#,
    r#"
-- Period targets per funnel and owner ('' = funnel-wide). Like answers and evidence, two members
-- may set the same (funnel, period, owner) under different ids offline: both are kept here and
-- each client keeps the newer, so there is no unique key on them.
CREATE TABLE funnel_hub.targets (
    id text PRIMARY KEY,
    funnel_id text NOT NULL REFERENCES funnel_hub.funnels (id),
    owner text NOT NULL,
    hlc text NOT NULL,
    xid bigint NOT NULL DEFAULT 0,
    data jsonb NOT NULL
);
CREATE INDEX targets_by_xid ON funnel_hub.targets (xid);
CREATE TRIGGER stamp_xid BEFORE INSERT OR UPDATE ON funnel_hub.targets
    FOR EACH ROW EXECUTE FUNCTION funnel_hub.stamp_xid();
ALTER TABLE funnel_hub.targets ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE ON funnel_hub.targets TO PUBLIC;

-- A seller's target follows their cards: read by whoever reads them, set by whoever writes them
-- (the seller, their lead); a target has no team of its own, its owner's decides. The
-- funnel-wide target is every member's to read and a lead's to set: it is the team's goal, not
-- one seller's to move. Directors read every target and set none.
CREATE FUNCTION funnel_hub.target_keys(owner text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN owner = '' THEN ARRAY['*', 'member', 'lead']
                ELSE ARRAY['*', 'owner:' || owner] END
$$;
CREATE POLICY read ON funnel_hub.targets FOR SELECT
    USING ((SELECT funnel_hub.read_keys()) && funnel_hub.target_keys(owner));
CREATE POLICY add ON funnel_hub.targets FOR INSERT
    WITH CHECK ((SELECT funnel_hub.write_keys()) && funnel_hub.target_keys(owner));
CREATE POLICY change ON funnel_hub.targets FOR UPDATE
    USING ((SELECT funnel_hub.write_keys()) && funnel_hub.target_keys(owner))
    WITH CHECK ((SELECT funnel_hub.write_keys()) && funnel_hub.target_keys(owner));
"#,
    r#"
-- Rows are kept as the JSON text their client sent (json, not jsonb): nothing on the hub looks
-- inside them (the policies and keys use the columns copied out), and a pull printed every
-- jsonb value back as text, half of the hub's CPU in a first pull of a million cards. json
-- still refuses text that is not JSON; it is stored and sent back verbatim.
ALTER TABLE funnel_hub.funnels ALTER COLUMN data TYPE json;
ALTER TABLE funnel_hub.opportunities ALTER COLUMN data TYPE json;
ALTER TABLE funnel_hub.records ALTER COLUMN data TYPE json;
ALTER TABLE funnel_hub.targets ALTER COLUMN data TYPE json;
"#,
    r#"
-- Clients apply the payload; the policies check the columns. They must say the same, or a
-- member could write a card the policies see as theirs and every client applies as someone
-- else's (or another card altogether): each column the hub keeps is, in the payload, a string
-- equal to it (of a name sent twice, the last, as clients read it; a payload that is not an
-- object has none, and is refused too). A payload is at most 1 MiB: a row of the largest
-- fields a client takes is far less, and one member's 10 MB rows would be every member's to
-- pull. Rows already here are not checked (NOT VALID): an upgraded hub keeps working, and
-- clients check each row they pull.
ALTER TABLE funnel_hub.funnels ADD CONSTRAINT payload_matches CHECK (coalesce(
    json_typeof(data->'id') = 'string' AND data->>'id' = id
    AND json_typeof(data->'name') = 'string' AND data->>'name' = name, false)) NOT VALID;
ALTER TABLE funnel_hub.opportunities ADD CONSTRAINT payload_matches CHECK (coalesce(
    json_typeof(data->'id') = 'string' AND data->>'id' = id
    AND json_typeof(data->'owner') = 'string' AND data->>'owner' = owner
    AND json_typeof(data->'team') = 'string' AND data->>'team' = team, false)) NOT VALID;
ALTER TABLE funnel_hub.targets ADD CONSTRAINT payload_matches CHECK (coalesce(
    json_typeof(data->'id') = 'string' AND data->>'id' = id
    AND json_typeof(data->'funnel_id') = 'string' AND data->>'funnel_id' = funnel_id
    AND json_typeof(data->'owner') = 'string' AND data->>'owner' = owner, false)) NOT VALID;
ALTER TABLE funnel_hub.records ADD CONSTRAINT payload_matches CHECK (coalesce(
    json_typeof(data->'id') = 'string' AND data->>'id' = id
    AND json_typeof(data->'opportunity_id') = 'string'
    AND data->>'opportunity_id' = opportunity_id, false)) NOT VALID;
ALTER TABLE funnel_hub.funnels ADD CONSTRAINT payload_size
    CHECK (octet_length(data::text) <= 1048576) NOT VALID;
ALTER TABLE funnel_hub.opportunities ADD CONSTRAINT payload_size
    CHECK (octet_length(data::text) <= 1048576) NOT VALID;
ALTER TABLE funnel_hub.targets ADD CONSTRAINT payload_size
    CHECK (octet_length(data::text) <= 1048576) NOT VALID;
ALTER TABLE funnel_hub.records ADD CONSTRAINT payload_size
    CHECK (octet_length(data::text) <= 1048576) NOT VALID;
"#,
    r#"
-- A stamp says when a row was changed, and the newer one wins: one from a laptop whose clock is
-- wrong, or one forged far ahead, would win over every later change, and each client that
-- applied it would stamp its own changes after it. The hub's clock is the reference: a stamp
-- more than 5 minutes ahead of it (hub::AHEAD_LIMIT_MS, which clients use too) is refused.
CREATE FUNCTION funnel_hub.check_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.hlc !~ '^[0-9]{13}-[0-9]{5}-' THEN
        RAISE EXCEPTION 'stamp % is not a funnel stamp', NEW.hlc
            USING ERRCODE = 'check_violation';
    END IF;
    IF left(NEW.hlc, 13)::bigint
        > (extract(epoch FROM clock_timestamp()) * 1000)::bigint + 5 * 60 * 1000 THEN
        RAISE EXCEPTION 'stamp % is more than 5 minutes ahead of the hub''s clock (%)',
            NEW.hlc, clock_timestamp() USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER check_stamp BEFORE INSERT OR UPDATE ON funnel_hub.funnels
    FOR EACH ROW EXECUTE FUNCTION funnel_hub.check_stamp();
CREATE TRIGGER check_stamp BEFORE INSERT OR UPDATE ON funnel_hub.opportunities
    FOR EACH ROW EXECUTE FUNCTION funnel_hub.check_stamp();
CREATE TRIGGER check_stamp BEFORE INSERT OR UPDATE ON funnel_hub.records
    FOR EACH ROW EXECUTE FUNCTION funnel_hub.check_stamp();
CREATE TRIGGER check_stamp BEFORE INSERT OR UPDATE ON funnel_hub.targets
    FOR EACH ROW EXECUTE FUNCTION funnel_hub.check_stamp();
"#,
    r#"
-- Members read the people their role needs: sellers and leads their own team's (themselves
-- included), directors everyone. The policy learns who is asking through a function that reads
-- the table as its owner (a policy reading its own table under itself would recurse); it tells
-- only the caller (the session's role) about themself. read_keys and write_keys, which run as the
-- caller, then see their team, all they ever looked at.
CREATE FUNCTION funnel_hub.my_reach(OUT director boolean, OUT team text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT kind = 'director', team FROM funnel_hub.members WHERE role_name = session_user
$$;
ALTER TABLE funnel_hub.members ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON funnel_hub.members FOR SELECT USING (
    role_name = current_user
    OR EXISTS (SELECT 1 FROM funnel_hub.my_reach() me WHERE me.director OR me.team = members.team));
"#,
    r#"
-- Activities (calls, meetings, emails, notes, next steps done) are records of a card like its
-- history or its people: kept in `records` (tbl 'activities'), read and written by whoever may
-- read and write their card (the policies above), never conflicts (newest per row wins, two
-- members' activities on one card are two rows). Unlike other records, the hub checks every
-- field of one, since the agenda and the upkeep flags of every member who pulls it read them:
-- a kind clients know, a day as an ISO date (like a card's dates on the hub) from 1900 to 2999, a time
-- of day in minutes or none, and texts of at most 10,000 characters (what a client's field
-- takes). A client older than activities skips these rows when it pulls.
CREATE FUNCTION funnel_hub.check_activity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d json := NEW.data;
    field text;
BEGIN
    IF json_typeof(d) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'activity % is not a JSON object', NEW.id USING ERRCODE = 'check_violation';
    END IF;
    IF json_typeof(d->'kind') IS DISTINCT FROM 'string'
        OR d->>'kind' NOT IN ('call', 'meeting', 'email', 'note', 'done') THEN
        RAISE EXCEPTION 'activity % has kind %: not one of call, meeting, email, note, done',
            NEW.id, coalesce(d->>'kind', 'none') USING ERRCODE = 'check_violation';
    END IF;
    IF json_typeof(d->'day') IS DISTINCT FROM 'string'
        OR d->>'day' !~ '^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$' THEN
        RAISE EXCEPTION 'activity % has day %: not a date from 1900 to 2999 (YYYY-MM-DD)',
            NEW.id, coalesce(d->>'day', 'none') USING ERRCODE = 'check_violation';
    END IF;
    BEGIN
        PERFORM (d->>'day')::date;
    EXCEPTION WHEN others THEN
        RAISE EXCEPTION 'activity % has day %: no such date', NEW.id, d->>'day'
            USING ERRCODE = 'check_violation';
    END;
    IF json_typeof(d->'at_minute') IS DISTINCT FROM 'null' AND (
        json_typeof(d->'at_minute') IS DISTINCT FROM 'number' OR d->>'at_minute' !~ '^[0-9]{1,4}$'
        OR (d->>'at_minute')::int > 1439) THEN
        RAISE EXCEPTION 'activity % has time %: not a minute of the day (0 to 1439) or null',
            NEW.id, d->>'at_minute' USING ERRCODE = 'check_violation';
    END IF;
    FOREACH field IN ARRAY ARRAY['with_whom', 'summary', 'updated_by'] LOOP
        IF json_typeof(d->field) IS DISTINCT FROM 'string'
            OR char_length(d->>field) > 10000 THEN
            RAISE EXCEPTION 'activity % has % that is not a text of at most 10000 characters',
                NEW.id, field USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NEW;
END
$$;
CREATE TRIGGER check_activity BEFORE INSERT OR UPDATE ON funnel_hub.records
    FOR EACH ROW WHEN (NEW.tbl = 'activities') EXECUTE FUNCTION funnel_hub.check_activity();
"#,
    r#"
-- Shared by the checks below: a text as clients write one (a field's length at most), an
-- ISO date from 1900 to 2999, a stamp as clients write `updated_at`.
CREATE FUNCTION funnel_hub.is_text(v json) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(json_typeof(v) = 'string' AND char_length((v #>> '{}')) <= 10000, false)
$$;
CREATE FUNCTION funnel_hub.is_day(v json) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF json_typeof(v) IS DISTINCT FROM 'string'
        OR (v #>> '{}') !~ '^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$' THEN
        RETURN false;
    END IF;
    PERFORM ((v #>> '{}'))::date;
    RETURN true;
EXCEPTION WHEN others THEN
    RETURN false;
END
$$;
CREATE FUNCTION funnel_hub.is_stamp(v json) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF json_typeof(v) IS DISTINCT FROM 'string'
        OR (v #>> '{}') !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' THEN
        RETURN false;
    END IF;
    PERFORM ((v #>> '{}'))::timestamp;
    RETURN true;
EXCEPTION WHEN others THEN
    RETURN false;
END
$$;
CREATE FUNCTION funnel_hub.refuse(what text, id text, field text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% % has % that is not one clients write', what, id, field
        USING ERRCODE = 'check_violation';
END
$$;

-- A card's history (tbl 'card_history': one row per changed field, see the client's schema)
-- is a record of its card like the others, read and written by whoever may read and write the
-- card. The review counts it in every member's file ("pushed 3×"), so it is written once: a
-- row here never changes. Every field is checked: the field a number from 0 to 6, its old and
-- new values of that field's kind (0 title, 3 owner and 4 next step texts; 1 value in cents up
-- to the cap; 2 expected close and 5 the next step's day as day numbers from 1900 to 2999 or
-- none; 6 the next step's minute of the day or none), the stamp of the change and who made it.
CREATE FUNCTION funnel_hub.check_card_history() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d json := NEW.data;
    f int;
    v text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'card history % is here already: history is written once', NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF json_typeof(d) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'card history % is not a JSON object', NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF json_typeof(d->'field') IS DISTINCT FROM 'number' OR d->>'field' !~ '^[0-6]$' THEN
        PERFORM funnel_hub.refuse('card history', NEW.id, 'field');
    END IF;
    f := (d->>'field')::int;
    FOREACH v IN ARRAY ARRAY['old', 'new'] LOOP
        IF NOT (CASE
            WHEN f IN (0, 3, 4) THEN funnel_hub.is_text(d->v)
            WHEN f = 1 THEN json_typeof(d->v) = 'number' AND d->>v ~ '^[0-9]{1,15}$'
                AND (d->>v)::bigint <= 100000000000000
            WHEN f IN (2, 5) THEN json_typeof(d->v) IS NOT DISTINCT FROM 'null'
                OR (json_typeof(d->v) = 'number' AND d->>v ~ '^-?[0-9]{1,6}$'
                    AND (d->>v)::int BETWEEN -25567 AND 376199)
            ELSE json_typeof(d->v) IS NOT DISTINCT FROM 'null'
                OR (json_typeof(d->v) = 'number' AND d->>v ~ '^[0-9]{1,4}$'
                    AND (d->>v)::int <= 1439)
            END) THEN
            PERFORM funnel_hub.refuse('card history', NEW.id, v);
        END IF;
    END LOOP;
    IF NOT funnel_hub.is_stamp(d->'updated_at') THEN
        PERFORM funnel_hub.refuse('card history', NEW.id, 'updated_at');
    END IF;
    IF NOT funnel_hub.is_text(d->'updated_by') THEN
        PERFORM funnel_hub.refuse('card history', NEW.id, 'updated_by');
    END IF;
    IF json_typeof(d->'deleted_at') IS DISTINCT FROM 'null' THEN
        PERFORM funnel_hub.refuse('card history', NEW.id, 'deleted_at');
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER check_card_history BEFORE INSERT OR UPDATE ON funnel_hub.records
    FOR EACH ROW WHEN (NEW.tbl = 'card_history') EXECUTE FUNCTION funnel_hub.check_card_history();

-- Coaching: one-to-one meetings (tbl 'meetings'), their notes on cards ('meeting_card_notes')
-- and their action items ('action_items'). Their rights follow the meeting, not a card: a
-- meeting is with a seller (kind 'seller', owner the seller) or with a team's lead (kind
-- 'team', team the team, owner the lead). The hub derives every row's columns from its payload
-- and a card note's or an action item's subject (kind, owner, team) from its meeting as the
-- hub has it, never from what a client says of a child row; who a meeting is with never
-- changes.
CREATE TABLE funnel_hub.coaching (
    tbl text NOT NULL CHECK (tbl IN ('meetings', 'meeting_card_notes', 'action_items')),
    id text NOT NULL,
    -- The meeting (a meeting's own id for a meeting).
    meeting_id text NOT NULL DEFAULT '',
    -- A card note's card: the note is read by those who read the card too.
    opportunity_id text,
    kind text NOT NULL DEFAULT '',
    owner text NOT NULL DEFAULT '',
    team text NOT NULL DEFAULT '',
    hlc text NOT NULL,
    xid bigint NOT NULL DEFAULT 0,
    data json NOT NULL CHECK (octet_length(data::text) <= 1048576),
    PRIMARY KEY (tbl, id)
);
CREATE INDEX coaching_by_xid ON funnel_hub.coaching (xid);
CREATE TRIGGER stamp_xid BEFORE INSERT OR UPDATE ON funnel_hub.coaching
    FOR EACH ROW EXECUTE FUNCTION funnel_hub.stamp_xid();
CREATE TRIGGER check_stamp BEFORE INSERT OR UPDATE ON funnel_hub.coaching
    FOR EACH ROW EXECUTE FUNCTION funnel_hub.check_stamp();
ALTER TABLE funnel_hub.coaching ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE ON funnel_hub.coaching TO PUBLIC;

-- Rights, as keys (like the cards'): a seller meeting offers 'seller meeting:OWNER', a team
-- meeting 'team meeting:TEAM', both '*'.
--   director: reads and writes every meeting;
--   lead: reads and writes the seller meetings of the sellers of their team, reads (does not
--         write) their own team's team meetings and may only tick their action items;
--   seller: reads their own seller meetings, writes none; may only tick an action item of one
--         of them done or open again (`tick_keys` and the check below).
CREATE FUNCTION funnel_hub.coaching_keys(kind text, owner text, team text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN kind = 'team' THEN ARRAY['*', 'team meeting:' || team]
                ELSE ARRAY['*', 'seller meeting:' || owner] END
$$;
CREATE FUNCTION funnel_hub.coaching_read_keys() RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT CASE me.kind
           WHEN 'director' THEN ARRAY['*']
           WHEN 'lead' THEN ARRAY['team meeting:' || me.team]
               || array_agg('seller meeting:' || o.owner) FILTER (WHERE o.kind = 'seller')
           ELSE ARRAY['seller meeting:' || me.owner] END
    FROM funnel_hub.members me JOIN funnel_hub.members o ON o.team = me.team
    WHERE me.role_name = current_user GROUP BY me.kind, me.owner, me.team
$$;
CREATE FUNCTION funnel_hub.coaching_write_keys() RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT CASE me.kind
           WHEN 'director' THEN ARRAY['*']
           WHEN 'lead' THEN coalesce(
               array_agg('seller meeting:' || o.owner) FILTER (WHERE o.kind = 'seller'), '{}')
           ELSE '{}' END
    FROM funnel_hub.members me JOIN funnel_hub.members o ON o.team = me.team
    WHERE me.role_name = current_user GROUP BY me.kind, me.owner, me.team
$$;
CREATE FUNCTION funnel_hub.coaching_tick_keys() RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT CASE kind WHEN 'seller' THEN ARRAY['seller meeting:' || owner]
                     WHEN 'lead' THEN ARRAY['team meeting:' || team] ELSE '{}' END
    FROM funnel_hub.members WHERE role_name = current_user
$$;

-- A card note is read by those who read the meeting and its card (the card policies decide:
-- a note on a card handed to another team stays with those who see the card).
CREATE POLICY read ON funnel_hub.coaching FOR SELECT
    USING ((SELECT funnel_hub.coaching_read_keys()) && funnel_hub.coaching_keys(kind, owner, team)
        AND (opportunity_id IS NULL OR EXISTS (SELECT 1 FROM funnel_hub.opportunities o
                                               WHERE o.id = coaching.opportunity_id)));
-- Whether an action item is on the hub, whoever may read it (a policy reading its own table
-- under itself would recurse).
CREATE FUNCTION funnel_hub.is_action_item(item text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM funnel_hub.coaching WHERE tbl = 'action_items' AND id = item)
$$;
-- A push is an upsert, whose row PostgreSQL holds to the INSERT policy even when it updates:
-- a seller's tick passes it for an action item already here (then the UPDATE policy decides).
CREATE POLICY add ON funnel_hub.coaching FOR INSERT
    WITH CHECK ((SELECT funnel_hub.coaching_write_keys())
            && funnel_hub.coaching_keys(kind, owner, team)
        OR (tbl = 'action_items'
            AND (SELECT funnel_hub.coaching_tick_keys()) && funnel_hub.coaching_keys(kind, owner, team)
            AND funnel_hub.is_action_item(id)));
CREATE POLICY change ON funnel_hub.coaching FOR UPDATE
    USING ((SELECT funnel_hub.coaching_write_keys()) && funnel_hub.coaching_keys(kind, owner, team)
        OR (tbl = 'action_items'
            AND (SELECT funnel_hub.coaching_tick_keys()) && funnel_hub.coaching_keys(kind, owner, team)))
    WITH CHECK ((SELECT funnel_hub.coaching_write_keys())
            && funnel_hub.coaching_keys(kind, owner, team)
        OR (tbl = 'action_items'
            AND (SELECT funnel_hub.coaching_tick_keys()) && funnel_hub.coaching_keys(kind, owner, team)));

-- Checks every field, as clients read them, and derives the columns the policies read.
CREATE FUNCTION funnel_hub.check_coaching() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d json := NEW.data;
    what text := replace(rtrim(NEW.tbl, 's'), '_', ' ');
    m record;
    field text;
    texts text[];
BEGIN
    IF json_typeof(d) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION '% % is not a JSON object', what, NEW.id USING ERRCODE = 'check_violation';
    END IF;
    IF json_typeof(d->'id') IS DISTINCT FROM 'string' OR d->>'id' <> NEW.id THEN
        PERFORM funnel_hub.refuse(what, NEW.id, 'id');
    END IF;
    IF NOT funnel_hub.is_stamp(d->'updated_at') THEN
        PERFORM funnel_hub.refuse(what, NEW.id, 'updated_at');
    END IF;
    IF json_typeof(d->'deleted_at') IS DISTINCT FROM 'null'
        AND NOT funnel_hub.is_stamp(d->'deleted_at') THEN
        PERFORM funnel_hub.refuse(what, NEW.id, 'deleted_at');
    END IF;
    IF NEW.tbl = 'meetings' THEN
        IF json_typeof(d->'kind') IS DISTINCT FROM 'string'
            OR d->>'kind' NOT IN ('seller', 'team') THEN
            PERFORM funnel_hub.refuse(what, NEW.id, 'kind');
        END IF;
        IF NOT funnel_hub.is_day(d->'held_on') THEN
            PERFORM funnel_hub.refuse(what, NEW.id, 'held_on');
        END IF;
        IF NOT funnel_hub.is_stamp(d->'started_at') THEN
            PERFORM funnel_hub.refuse(what, NEW.id, 'started_at');
        END IF;
        texts := ARRAY['funnel_id', 'owner', 'team', 'skill', 'notes', 'updated_by'];
        NEW.meeting_id := NEW.id;
        NEW.opportunity_id := NULL;
        NEW.kind := d->>'kind';
        NEW.owner := d->>'owner';
        NEW.team := d->>'team';
        IF TG_OP = 'UPDATE' AND (OLD.kind, OLD.owner, OLD.team)
            IS DISTINCT FROM (NEW.kind, NEW.owner, NEW.team) THEN
            RAISE EXCEPTION 'meeting % is with % (%, %): who a meeting is with does not change',
                NEW.id, OLD.owner, OLD.kind, OLD.team USING ERRCODE = 'check_violation';
        END IF;
    ELSE
        IF json_typeof(d->'meeting_id') IS DISTINCT FROM 'string' THEN
            PERFORM funnel_hub.refuse(what, NEW.id, 'meeting_id');
        END IF;
        -- Read as the member: a meeting they may not read is no meeting to them.
        SELECT c.kind, c.owner, c.team INTO m FROM funnel_hub.coaching c
        WHERE c.tbl = 'meetings' AND c.id = d->>'meeting_id';
        IF NOT FOUND THEN
            RAISE EXCEPTION '% % is of meeting %, which is not on the hub', what, NEW.id,
                d->>'meeting_id' USING ERRCODE = 'foreign_key_violation';
        END IF;
        NEW.meeting_id := d->>'meeting_id';
        NEW.kind := m.kind;
        NEW.owner := m.owner;
        NEW.team := m.team;
        IF NEW.tbl = 'meeting_card_notes' THEN
            texts := ARRAY['opportunity_id', 'note', 'updated_by'];
            NEW.opportunity_id := coalesce(d->>'opportunity_id', '');
        ELSE
            IF json_typeof(d->'done') IS DISTINCT FROM 'number' OR d->>'done' NOT IN ('0', '1') THEN
                PERFORM funnel_hub.refuse(what, NEW.id, 'done');
            END IF;
            IF json_typeof(d->'due') IS DISTINCT FROM 'null' AND NOT funnel_hub.is_day(d->'due') THEN
                PERFORM funnel_hub.refuse(what, NEW.id, 'due');
            END IF;
            texts := ARRAY['owner', 'text', 'updated_by'];
            NEW.opportunity_id := NULL;
            -- One who may not write the meeting (its seller, the lead of a team meeting) only
            -- ticks: done, and when and by whom, are all that may change.
            IF TG_OP = 'UPDATE' AND NOT (SELECT funnel_hub.coaching_write_keys())
                && funnel_hub.coaching_keys(NEW.kind, NEW.owner, NEW.team)
                AND (OLD.data::jsonb - 'done' - 'updated_at' - 'updated_by')
                    IS DISTINCT FROM (NEW.data::jsonb - 'done' - 'updated_at' - 'updated_by') THEN
                RAISE EXCEPTION 'action item %: one who may not write its meeting may only tick it done or open', NEW.id
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
        END IF;
    END IF;
    FOREACH field IN ARRAY texts LOOP
        IF NOT funnel_hub.is_text(d->field) THEN
            PERFORM funnel_hub.refuse(what, NEW.id, field);
        END IF;
    END LOOP;
    RETURN NEW;
END
$$;
CREATE TRIGGER check_coaching BEFORE INSERT OR UPDATE ON funnel_hub.coaching
    FOR EACH ROW EXECUTE FUNCTION funnel_hub.check_coaching();
"#,
];

/// Creates or upgrades the hub schema; returns the (old, new) versions. Safe to run twice or
/// from two places at once (an advisory lock serialises it).
pub fn init(client: &mut Client) -> Result<(usize, usize), postgres::Error> {
    init_to(client, MIGRATIONS.len())
}

/// [`init`] up to schema version `version` at most: a hub as an older release made it (tests
/// upgrade one).
pub fn init_to(client: &mut Client, version: usize) -> Result<(usize, usize), postgres::Error> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock(hashtext('funnel_hub'))", &[])?;
    tx.batch_execute(
        "CREATE SCHEMA IF NOT EXISTS funnel_hub;
         CREATE TABLE IF NOT EXISTS funnel_hub.meta (key text PRIMARY KEY, value text NOT NULL);
         GRANT USAGE ON SCHEMA funnel_hub TO PUBLIC;
         GRANT SELECT ON funnel_hub.meta TO PUBLIC;",
    )?;
    let old: usize = tx
        .query_opt(
            "SELECT value FROM funnel_hub.meta WHERE key = 'version'",
            &[],
        )?
        .and_then(|r| r.get::<_, String>(0).parse().ok())
        .unwrap_or(0);
    for sql in MIGRATIONS.iter().take(version).skip(old) {
        tx.batch_execute(sql)?;
    }
    let new = old.max(version.min(MIGRATIONS.len()));
    tx.execute(
        "INSERT INTO funnel_hub.meta VALUES ('version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&new.to_string()],
    )?;
    tx.commit()?;
    Ok((old, new))
}
