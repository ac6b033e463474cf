-- Helpdesk and self-service. Written for both H2 (in PostgreSQL mode) and PostgreSQL.

-- The self-service rate limit counts a user's reveals of the last 24 hours in the audit log.
CREATE INDEX audit_log_by_actor_action ON audit_log (actor, action, at);

-- A user's personal access tokens.
CREATE INDEX api_token_by_user ON api_token (user_id);

-- "Which computers is this person associated with": self-service and the helpdesk's check.
CREATE INDEX computer_user_by_account ON computer_user (account);
