-- The demo's attention rate 0 over training length (conf/sweeps/demo-length.yaml): per checkpoint step,
-- how many of the eight runs carry each label, and the median distance irrelevance (max-wrong) and
-- gradient symmetricity. docs/REPRODUCTION.md ("The demo") has the result. Run:
--   scripts/phasemap sql results/demo-length < scripts/sql/demo-length.sql
SELECT s.step,
       count(*) AS runs,
       sum(CASE WHEN s.label = 'pizza' THEN 1 ELSE 0 END) AS pizza,
       sum(CASE WHEN s.label = 'mixed' THEN 1 ELSE 0 END) AS mixed,
       sum(CASE WHEN s.label = 'clock' THEN 1 ELSE 0 END) AS clock,
       sum(CASE WHEN s.label = 'non_circular' THEN 1 ELSE 0 END) AS non_circular,
       sum(CASE WHEN s.label NOT IN ('pizza', 'mixed', 'clock', 'non_circular') THEN 1 ELSE 0 END) AS other,
       round(percentile(s.di_maxwrong, 0.5), 2) AS median_di,
       round(min(s.di_maxwrong), 2) AS min_di,
       round(percentile(s.gs, 0.5), 3) AS median_gs,
       round(percentile(s.circularity, 0.5), 3) AS median_circularity
FROM steps s
WHERE s.sweep = 'demo-length' AND s.label IS NOT NULL
GROUP BY s.step
ORDER BY s.step;
