-- Referrals between agencies (issue 4): purpose, urgency, consented share scope, deadlines.
create table referrals (
  id uuid primary key,
  case_id uuid not null references cases (id),
  from_agency_id uuid not null references agencies (id),
  to_agency_id uuid not null references agencies (id),
  sent_by uuid not null references users (id),
  purpose text not null,
  urgency text not null check (urgency in ('emergency', 'urgent', 'routine')),
  -- What the receiver may see once it accepts; narrowed when the person withdraws a sharing consent.
  scope text[] not null default '{}',
  state text not null default 'sent',
  decline_reason text,
  sent_at timestamptz not null default now(),
  due_at timestamptz not null,
  expires_at timestamptz not null,
  responded_at timestamptz,
  responded_by uuid references users (id),
  escalated_at timestamptz,
  closed_at timestamptz,
  updated_at timestamptz not null default now(),
  check (from_agency_id <> to_agency_id)
);
create index referrals_case_idx on referrals (case_id);
create index referrals_to_idx on referrals (to_agency_id, state, sent_at desc);
create index referrals_from_idx on referrals (from_agency_id, sent_at desc);
create index referrals_state_idx on referrals (state, due_at);
create unique index referrals_open_key on referrals (case_id, to_agency_id, purpose)
  where state in ('sent', 'accepted', 'in_progress');

-- The NRM role matrix and the response deadlines live in `settings` (keys 'referral_matrix',
-- 'response_rules'); absent keys mean the defaults of packages/domain/src/referral and deadline.
