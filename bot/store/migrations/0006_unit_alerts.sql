-- A unit may name a Telegram group that is told of new and overdue chats.
ALTER TABLE unit_settings ADD COLUMN alert_chat TEXT NOT NULL DEFAULT '';
