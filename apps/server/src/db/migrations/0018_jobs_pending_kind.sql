-- The pending jobs of one kind by an index: each `duplicates.person` job asks whether a full batch
-- is queued (`supersedeByQueuedScan`), as does queueing one (`queueScan`). Without it that question
-- read every pending job: 38 ms with 120,000 waiting, once per job.
create index jobs_pending_kind_idx on jobs (kind, run_at) where status = 'pending';
