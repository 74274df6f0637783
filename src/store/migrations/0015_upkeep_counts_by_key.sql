-- A card's change takes its old counts off `upkeep_counts` by their keys: step 14's triggers
-- matched the four keys as one list, which SQLite checks against every row of the table.
DROP TRIGGER totals_upkeep_on_delete;
DROP TRIGGER totals_upkeep_on_update;
CREATE TRIGGER totals_upkeep_on_delete AFTER DELETE ON opportunities WHEN OLD.status = 0 AND OLD.deleted_at IS NULL
BEGIN
    UPDATE upkeep_counts SET count = count - 1 WHERE funnel = OLD.funnel
        AND what = CASE WHEN OLD.next_step_due IS NULL THEN 1 ELSE 0 END AND owner = OLD.owner
        AND day = coalesce(OLD.next_step_due, 0);
    UPDATE upkeep_counts SET count = count - 1 WHERE OLD.expected_close IS NOT NULL
        AND funnel = OLD.funnel AND what = 2 AND owner = OLD.owner AND day = OLD.expected_close;
    UPDATE upkeep_counts SET count = count - 1 WHERE funnel = OLD.funnel AND what = 3
        AND owner = OLD.owner
        AND day = max(coalesce(OLD.last_activity, OLD.created), OLD.created, OLD.stage_since);
    UPDATE upkeep_counts SET count = count - 1 WHERE funnel = OLD.funnel
        AND what = 10 + OLD.stage AND owner = OLD.owner AND day = OLD.stage_since;
END;
CREATE TRIGGER totals_upkeep_on_update AFTER UPDATE OF funnel, owner, status, deleted_at, next_step_due, expected_close, stage, stage_since, created, last_activity ON opportunities
WHEN (OLD.funnel, OLD.owner, OLD.status, OLD.deleted_at, OLD.next_step_due, OLD.expected_close, OLD.stage, OLD.stage_since, OLD.created, OLD.last_activity) IS NOT (NEW.funnel, NEW.owner, NEW.status, NEW.deleted_at, NEW.next_step_due, NEW.expected_close, NEW.stage, NEW.stage_since, NEW.created, NEW.last_activity)
BEGIN
    UPDATE upkeep_counts SET count = count - 1 WHERE OLD.status = 0 AND OLD.deleted_at IS NULL AND funnel = OLD.funnel
        AND what = CASE WHEN OLD.next_step_due IS NULL THEN 1 ELSE 0 END AND owner = OLD.owner
        AND day = coalesce(OLD.next_step_due, 0);
    UPDATE upkeep_counts SET count = count - 1 WHERE OLD.status = 0 AND OLD.deleted_at IS NULL AND OLD.expected_close IS NOT NULL
        AND funnel = OLD.funnel AND what = 2 AND owner = OLD.owner AND day = OLD.expected_close;
    UPDATE upkeep_counts SET count = count - 1 WHERE OLD.status = 0 AND OLD.deleted_at IS NULL AND funnel = OLD.funnel AND what = 3
        AND owner = OLD.owner
        AND day = max(coalesce(OLD.last_activity, OLD.created), OLD.created, OLD.stage_since);
    UPDATE upkeep_counts SET count = count - 1 WHERE OLD.status = 0 AND OLD.deleted_at IS NULL AND funnel = OLD.funnel
        AND what = 10 + OLD.stage AND owner = OLD.owner AND day = OLD.stage_since;
    INSERT INTO upkeep_counts SELECT funnel, what, owner, day, 1 FROM (
        SELECT NEW.funnel AS funnel, CASE WHEN NEW.next_step_due IS NULL THEN 1 ELSE 0 END AS what, NEW.owner AS owner, coalesce(NEW.next_step_due, 0) AS day
        UNION ALL SELECT NEW.funnel, 2, NEW.owner, NEW.expected_close WHERE NEW.expected_close IS NOT NULL
        UNION ALL SELECT NEW.funnel, 3, NEW.owner, max(coalesce(NEW.last_activity, NEW.created), NEW.created, NEW.stage_since)
        UNION ALL SELECT NEW.funnel, 10 + NEW.stage, NEW.owner, NEW.stage_since) WHERE NEW.status = 0 AND NEW.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET count = count + 1;
END;
