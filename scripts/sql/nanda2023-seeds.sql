-- Nanda et al. (2023) over seeds: one row per run of the nanda2023-seeds sweep (conf/sweeps/nanda2023-seeds.yaml),
-- the events docs/REPRODUCTION.md compares with the paper. Run:
--   scripts/phasemap sql results/repro < scripts/sql/nanda2023-seeds.sql
-- memorised: first logged step with train accuracy >= 0.99, grokked: first with test accuracy >= 0.95,
-- generalised: first with test accuracy >= 0.99, restricted < 1: first checkpoint where the loss on the
-- final key frequencies falls below 1 nat, peak_excluded_step: the checkpoint of the excluded loss's
-- maximum (where the curves put the start of clean-up).
SELECT r.init_seed, r.data_seed,
       min(CASE WHEN s.train_acc >= 0.99 THEN s.step END) AS memorised,
       min(CASE WHEN s.test_acc >= 0.95 THEN s.step END) AS grokked,
       min(CASE WHEN s.test_acc >= 0.99 THEN s.step END) AS generalised,
       round(max(s.test_loss), 1) AS test_loss_peak,
       min(CASE WHEN s.restricted_loss_final_keys < 1 THEN s.step END) AS restricted_below_1,
       max_by(s.step, s.excluded_loss_final_keys) AS peak_excluded_step,
       round(max(s.excluded_loss_final_keys), 1) AS peak_excluded,
       round(max(s.sum_sq_weights), 0) AS peak_sum_sq,
       round(min_by(r.final_sum_sq_weights, 1), 0) AS final_sum_sq,
       min_by(r.n_key_frequencies, 1) AS n_keys,
       min_by(array_join(transform(r.key_frequencies, k -> cast(k AS STRING)), ' '), 1) AS keys,
       min_by(round(r.final_gs, 2), 1) AS gs,
       min_by(round(r.final_circularity, 3), 1) AS circularity,
       min_by(r.final_test_loss, 1) AS final_test_loss
FROM runs r JOIN steps s USING (sweep, run_id)
WHERE r.sweep = 'nanda2023-seeds'
GROUP BY r.init_seed, r.data_seed
ORDER BY r.data_seed, r.init_seed;
