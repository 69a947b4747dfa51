-- 0006_user_language: the interface language of each user, as in the
-- sqlite backend's 0006_user_language.sql: "en", "zh" or "ur", or NULL to
-- follow the browser.
ALTER TABLE users ADD COLUMN language text;
