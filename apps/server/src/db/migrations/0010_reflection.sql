-- The recovery and reflection period (CoE art. 13) and the residence permit track (art. 14).
-- The 30-day floor is enforced here too, whatever the application does: a period is never planned
-- shorter than 30 days, and ends before its planned end only for public order or an improper claim,
-- with a decision maker and a written (encrypted) justification.
create table reflection_periods (
  id uuid primary key,
  case_id uuid not null unique references cases (id),
  decision_id uuid not null references status_decisions (id),
  agency_id uuid not null references agencies (id),
  start_date date not null,
  planned_end date not null,
  ended_on date,
  end_reason text,
  end_justification_enc text,
  ended_by uuid references users (id),
  extensions integer not null default 0,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint reflection_min_30_days check (planned_end - start_date >= 30),
  constraint reflection_end_reason check (end_reason is null or end_reason in ('public_order', 'improper_claim')),
  constraint reflection_early_end_justified check (
    ended_on is null
    or ended_on >= planned_end
    or (end_reason is not null and end_justification_enc is not null and ended_by is not null)
  ),
  constraint reflection_end_after_start check (ended_on is null or ended_on >= start_date)
);

-- The configured length can never be set below the legal floor either.
alter table settings add constraint settings_reflection_days_min
  check (key <> 'status_rules' or coalesce((value ->> 'reflectionDays')::numeric, 0) >= 30);

create table residence_permits (
  id uuid primary key,
  case_id uuid not null references cases (id),
  event text not null check (event in ('applied', 'granted', 'renewed', 'refused')),
  event_date date not null,
  valid_until date,
  recorded_by uuid not null references users (id),
  created_at timestamptz not null default now()
);
create index residence_permits_case_idx on residence_permits (case_id, event_date);
