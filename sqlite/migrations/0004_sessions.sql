-- 0004: sign-in with passwords. users.password_hash is the encoded hash
-- of the user's password (argon2id in the PHC string format, parameters
-- included) or NULL for a user without one, such as a machine that holds
-- API tokens only. Times are text as in 0001 (nanoseconds, UTC).
ALTER TABLE users ADD COLUMN password_hash TEXT;

-- sessions holds the signed-in browser sessions: id names a session in
-- the audit log, token_hash is the SHA-256 of the token its cookie holds
-- (the token itself is never stored), csrf the secret its forms echo.
-- sessions_expires serves the removal of expired sessions.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_name  TEXT NOT NULL REFERENCES users (name),
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    addr       TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);
CREATE INDEX sessions_expires ON sessions (expires_at);
