-- Finding inbound messages not yet answered (channels persist before they answer).
CREATE INDEX messages_reply_to ON messages (reply_to);
