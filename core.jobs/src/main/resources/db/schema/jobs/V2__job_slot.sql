-- Slots of a concurrency limit: a run of a type with a limit holds one of slot_no 0 … limit-1 of
-- its key while it works. A slot whose holder is no longer under way (its instance died) is free.
CREATE TABLE job_slot (
    slot_key VARCHAR(400)             NOT NULL,
    slot_no  INT                      NOT NULL,
    holder   VARCHAR(310)             NOT NULL,
    taken_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (slot_key, slot_no)
);
