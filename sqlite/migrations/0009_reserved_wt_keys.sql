-- 0009: a placeholder on branch wt-keys only, so that its own migration
-- 0013 can be numbered as assigned. Another branch of issue 12 owns this
-- number; the integrator drops this file when merging.
SELECT 1;
