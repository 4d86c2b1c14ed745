-- Password-form submissions per flow (issue 18 item 13): a flow closes after its last allowed
-- try, and a user's tries over the last hour are the sum over their flows.
ALTER TABLE connect_flow ADD COLUMN attempts INTEGER DEFAULT 0 NOT NULL;

-- Whose account a flow links (issue 18 item 12): the signed-in user's name or email when the
-- ticket was made, shown on the linking page so that a user handed someone else's link sees it.
ALTER TABLE connect_ticket ADD COLUMN user_label VARCHAR(320);
ALTER TABLE connect_flow ADD COLUMN user_label VARCHAR(320);
