-- The day a card's next step is due, as days since 1970-01-01 like its other dates (NULL: no
-- date). Added last, so every card already there keeps its row as it was.
ALTER TABLE opportunities ADD COLUMN next_step_due INTEGER CHECK (typeof(next_step_due) IN ('integer', 'null'));
