-- Replies sent to each follower since their last message: Zalo counts at
-- most 8 free replies per follower message (see ReplyQuota).
ALTER TABLE zalooa_users ADD COLUMN replies_since INTEGER NOT NULL DEFAULT 0;
