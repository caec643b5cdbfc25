-- Review fixes. Grouped by topic; each group starts with a comment header. Append new groups below.

-- == Billing / sales assistant (issue 8 review) ==========================================
-- One reply per inbound platform message: the sales assistant stores a command's effects and its
-- reply in one transaction keyed by the inbound, and this index makes a second reply fail. Older
-- duplicate replies (if any) keep their text but lose the link, the earliest one stays linked.
UPDATE platform_messages p SET in_reply_to = NULL
 WHERE p.in_reply_to IS NOT NULL
   AND EXISTS (SELECT 1 FROM platform_messages q
                WHERE q.in_reply_to = p.in_reply_to AND (q.created_at, q.id) < (p.created_at, p.id));
CREATE UNIQUE INDEX platform_messages_in_reply_to_key ON platform_messages (in_reply_to);

-- The MRR cache is platform-only; force its policy for the table owner too, like the other
-- platform tables (0007 enabled RLS without FORCE).
ALTER TABLE mrr_month_summaries FORCE ROW LEVEL SECURITY;
-- == end billing / sales assistant ======================================================
