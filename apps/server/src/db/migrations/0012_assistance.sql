-- Assistance (issue 6): needs assessments, the individual assistance plan and its services,
-- provider capacity and placements, child protection (art. 10(4)), voluntary return with risk
-- assessment and follow-ups (art. 16), case notes and encrypted attachments, closure and reopening.
-- Nothing here refers to cooperation with the police (CoE art. 12(6)). Free text is sealed per person.

create table needs_assessments (
  id uuid primary key,
  case_id uuid not null references cases (id),
  agency_id uuid not null references agencies (id),
  assessed_on date not null,
  areas jsonb not null,
  risk_level text not null check (risk_level in ('low', 'medium', 'high')),
  notes_enc text,
  assessed_by uuid not null references users (id),
  created_at timestamptz not null default now()
);
create index needs_assessments_case on needs_assessments (case_id, created_at);

create table assistance_plans (
  case_id uuid primary key references cases (id),
  goals_enc text,
  version integer not null default 1,
  updated_by uuid not null references users (id),
  updated_at timestamptz not null default now()
);

create table assistance_services (
  id uuid primary key,
  case_id uuid not null references cases (id),
  category text not null,
  htcds_type text not null,
  provider_agency_id uuid not null references agencies (id),
  goal_id text,
  planned_start date not null,
  planned_end date,
  actual_start date,
  actual_end date,
  status text not null check (status in ('planned', 'requested', 'in_progress', 'delivered', 'cancelled', 'declined')),
  outcome text check (outcome is null or outcome in ('achieved', 'partly_achieved', 'not_achieved', 'refused_by_person')),
  cost numeric(14, 2) check (cost is null or cost >= 0),
  currency text not null default 'KZT',
  notes_enc text,
  placement boolean not null default false,
  placement_sex text,
  placement_age_group text,
  over_capacity boolean not null default false,
  override_reason_enc text,
  referral_id uuid unique references referrals (id),
  created_by uuid not null references users (id),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint service_override_reasoned check (not over_capacity or override_reason_enc is not null),
  constraint service_dates check (planned_end is null or planned_end >= planned_start),
  constraint service_actual_dates check (actual_end is null or actual_start is null or actual_end >= actual_start)
);
create index assistance_services_case on assistance_services (case_id);
create index assistance_services_open_placements on assistance_services (provider_agency_id, category)
  where placement and status in ('planned', 'requested', 'in_progress');

-- Capacity of a provider per service, sex and age group ('any' = all); occupancy is derived from open placements.
create table agency_capacity (
  agency_id uuid not null references agencies (id),
  category text not null,
  sex text not null check (sex in ('any', 'female', 'male')),
  age_group text not null check (age_group in ('any', 'adult', 'child')),
  places integer not null check (places >= 0),
  primary key (agency_id, category, sex, age_group)
);

create table child_protection (
  case_id uuid primary key references cases (id),
  unaccompanied boolean not null,
  guardian_name_enc text,
  guardian_role text,
  guardian_appointed_on date,
  best_interests_assessed_on date,
  best_interests_summary_enc text,
  family_tracing boolean not null default false,
  version integer not null default 1,
  updated_by uuid not null references users (id),
  updated_at timestamptz not null default now()
);

create table returns (
  id uuid primary key,
  case_id uuid not null references cases (id),
  state text not null check (state in ('requested', 'assessed', 'approved', 'refused', 'completed', 'cancelled')),
  requested_on date not null,
  voluntary boolean not null check (voluntary),
  destination_country text not null,
  receiving_org_enc text,
  travel_documents text not null,
  for_child boolean not null,
  risk_assessed_on date,
  risk_level text check (risk_level is null or risk_level in ('low', 'medium', 'high')),
  risk_summary_enc text,
  in_childs_best_interests boolean,
  return_date date,
  created_by uuid not null references users (id),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Art. 16(7): a child is never returned unless the risk assessment finds it in the child's best interests.
  constraint return_child_best_interests check (
    not for_child or state not in ('approved', 'completed') or in_childs_best_interests is true
  ),
  constraint return_risk_assessed check (state not in ('approved', 'completed') or risk_assessed_on is not null)
);
create index returns_case on returns (case_id);

create table return_follow_ups (
  id uuid primary key,
  return_id uuid not null references returns (id),
  month integer not null,
  due_on date not null,
  done_on date,
  note_enc text,
  done_by uuid references users (id),
  unique (return_id, month)
);

create table case_notes (
  id uuid primary key,
  case_id uuid not null references cases (id),
  agency_id uuid not null references agencies (id),
  text_enc text not null,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now()
);
create index case_notes_case on case_notes (case_id, created_at);

-- The file name and the content are sealed with the person's key; the type was checked by content.
create table case_attachments (
  id uuid primary key,
  case_id uuid not null references cases (id),
  agency_id uuid not null references agencies (id),
  category text not null check (category in ('documents', 'medical', 'other')),
  content_type text not null check (content_type in ('application/pdf', 'image/png', 'image/jpeg', 'text/plain')),
  size integer not null check (size > 0 and size <= 5242880),
  name_enc text not null,
  content_enc text not null,
  created_by uuid not null references users (id),
  created_at timestamptz not null default now()
);
create index case_attachments_case on case_attachments (case_id, created_at);

create table case_closures (
  id uuid primary key,
  case_id uuid not null references cases (id),
  reason text not null,
  justification_enc text not null,
  state text not null check (state in ('requested', 'approved', 'rejected', 'reopened')),
  previous_stage text not null,
  requested_by uuid not null references users (id),
  requested_at timestamptz not null default now(),
  decided_by uuid references users (id),
  decided_at timestamptz,
  decision_comment_enc text,
  reopened_by uuid references users (id),
  reopened_at timestamptz,
  reopen_reason_enc text,
  constraint closure_decided_by_other check (decided_by is null or decided_by <> requested_by),
  constraint closure_reopen_reasoned check (state <> 'reopened' or reopen_reason_enc is not null)
);
create unique index case_closures_one_pending on case_closures (case_id) where state = 'requested';

-- Closure reasons of this deployment beyond the fixed list (labels in the three languages).
create table local_closure_reasons (
  code text primary key check (code ~ '^local_[a-z0-9_]{1,40}$'),
  labels jsonb not null,
  active boolean not null default true
);
