-- Symbols a source stopped pricing (sqlite). Paired with the other backend.

-- Polls in a row in which a source answered but gave no price for a symbol in
-- a currency ('' for the source's own): after enough of them the watches on
-- it are stalled and their owners told, once. Deleted when a price comes
-- back; rows nobody polls any more are pruned with the price history.
CREATE TABLE price_symbol_misses (
    source      TEXT    NOT NULL,
    symbol      TEXT    NOT NULL,
    currency    TEXT    NOT NULL,
    misses      INTEGER NOT NULL,
    last_error  TEXT    NOT NULL,
    -- Its watches were stalled for it (and stay so when the source itself
    -- recovers from failing).
    stalled     INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (source, symbol, currency)
);
CREATE INDEX price_symbol_misses_by_age ON price_symbol_misses (updated_at);
