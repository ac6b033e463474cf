-- Personal access tokens of people who sign in through the directory (no local account):
-- bound to their directory user name; their roles are looked up in the directory at each call.
ALTER TABLE api_token ADD COLUMN directory_user VARCHAR(256);
CREATE INDEX api_token_by_directory_user ON api_token (directory_user);
