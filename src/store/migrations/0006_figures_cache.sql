
CREATE TABLE data_generation (generation INTEGER NOT NULL);
INSERT INTO data_generation VALUES (0);

CREATE TABLE figures_cache (
    -- The query's name and every parameter, as JSON.
    key TEXT PRIMARY KEY NOT NULL,
    generation INTEGER NOT NULL,
    -- The query's result, as JSON.
    rows TEXT NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER generation_on_opportunities_insert AFTER insert ON opportunities
                 BEGIN UPDATE data_generation SET generation = generation + 1; END;
CREATE TRIGGER generation_on_opportunities_update AFTER update ON opportunities
                 BEGIN UPDATE data_generation SET generation = generation + 1; END;
CREATE TRIGGER generation_on_opportunities_delete AFTER delete ON opportunities
                 BEGIN UPDATE data_generation SET generation = generation + 1; END;
CREATE TRIGGER generation_on_stage_events_insert AFTER insert ON stage_events
                 BEGIN UPDATE data_generation SET generation = generation + 1; END;
CREATE TRIGGER generation_on_stage_events_update AFTER update ON stage_events
                 BEGIN UPDATE data_generation SET generation = generation + 1; END;
CREATE TRIGGER generation_on_stage_events_delete AFTER delete ON stage_events
                 BEGIN UPDATE data_generation SET generation = generation + 1; END;
