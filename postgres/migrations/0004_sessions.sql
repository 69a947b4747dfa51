-- 0004_sessions: sign-in with passwords, as in the sqlite backend's
-- 0004_sessions.sql. users.password_hash is the encoded hash of the
-- user's password (argon2id in the PHC string format, parameters included)
-- or NULL for a user without one, such as a machine that holds API tokens
-- only.
ALTER TABLE users ADD COLUMN password_hash text;

-- sessions holds the signed-in browser sessions: id names a session in
-- the audit log, token_hash is the SHA-256 of the token its cookie holds
-- (the token itself is never stored), csrf the secret its forms echo.
-- sessions_expires serves the removal of expired sessions.
CREATE TABLE sessions (
    id         text PRIMARY KEY,
    token_hash text NOT NULL UNIQUE,
    user_name  text NOT NULL REFERENCES users (name),
    created_at timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    csrf       text NOT NULL,
    addr       text NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);
CREATE INDEX sessions_expires ON sessions (expires_at);
