-- 0008: reserved for the other change of issue 12 that was given this
-- number; this placeholder only keeps the numbering without a gap on the
-- branch that adds 0009. Drop this file when merging that change's 0008.
SELECT 1;
