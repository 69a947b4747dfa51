-- 0006_user_language: the interface language of each user ("en", "zh" or
-- "ur"), or NULL to follow the browser. The web interface reads it with
-- the session, so that a person's pages come in their language on any
-- browser; 'crossguard user language' and the settings page set it.
ALTER TABLE users ADD COLUMN language TEXT;
