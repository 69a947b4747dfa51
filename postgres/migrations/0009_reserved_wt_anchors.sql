-- 0009: a placeholder on branch wt-anchors only, so that its own migration
-- 0010 can be numbered as assigned. Another branch of issue 12 owns this
-- number; the integrator drops this file when merging.
SELECT 1;
