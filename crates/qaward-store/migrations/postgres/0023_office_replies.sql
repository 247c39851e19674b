-- The Office's reply to a request of the supervision group (issue #12 item 3; A27.2): a
-- complaint event of kind 'office-reply' names the 'office-request' event it answers, and
-- each request is answered once. Keep the other backend's 0023_office_replies.sql in step.

ALTER TABLE complaint_events ADD COLUMN reply_to BIGINT REFERENCES complaint_events (id);

CREATE UNIQUE INDEX complaint_events_reply_to ON complaint_events (reply_to);
