-- Login attempts per username and client address, and per client address
-- alone: counted before the password is checked, so parallel guesses
-- cannot pass the limit, and one client's guesses never lock another's.
CREATE TABLE staff_login_attempts (
    key          TEXT    PRIMARY KEY, -- "user:<username>|<client>" or "client:<client>"
    failures     INTEGER NOT NULL DEFAULT 0,
    locks        INTEGER NOT NULL DEFAULT 0, -- locks in a row: each doubles the next
    locked_until TEXT
);
