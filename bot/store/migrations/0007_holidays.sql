-- Days the ward offices are closed besides the fixed-date public holidays
-- (Tết, Giỗ Tổ Hùng Vương, days moved by the government), for the whole city.
CREATE TABLE holidays (
    day        TEXT PRIMARY KEY, -- YYYY-MM-DD
    name       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
