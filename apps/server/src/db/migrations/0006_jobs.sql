-- Background jobs (reminders, escalations, expiry, e-mail). Claimed with FOR UPDATE SKIP LOCKED inside
-- the transaction that runs the job and marks it done, so two server instances never run one twice.
create table jobs (
  id bigserial primary key,
  kind text not null,
  payload jsonb not null default '{}'::jsonb,
  run_at timestamptz not null default now(),
  status text not null default 'pending' check (status in ('pending', 'done', 'failed')),
  attempts integer not null default 0,
  last_error text,
  done_at timestamptz,
  done_by text,
  created_at timestamptz not null default now()
);
create index jobs_due_idx on jobs (run_at, id) where status = 'pending';
