-- One reply per inbound message: when two workers (or, with Postgres, two
-- gateways) answer the same message, the second reply is refused and
-- dropped with its outbox rows. A duplicate from before this rule keeps
-- the first reply linked; later ones stay in the history, unlinked.
UPDATE messages SET reply_to = NULL
 WHERE reply_to IS NOT NULL
   AND id NOT IN (SELECT MIN(id) FROM messages WHERE reply_to IS NOT NULL GROUP BY reply_to);
DROP INDEX messages_reply_to;
CREATE UNIQUE INDEX messages_one_reply ON messages (reply_to) WHERE reply_to IS NOT NULL;
