-- Identification (issue 3): persons with encrypted identifiers and blind indexes, cases, screening.
create table persons (
  id uuid primary key,
  -- The person's data key (AES-256), wrapped by the master key. Destroying it erases the person.
  data_key text not null,
  -- Direct identifiers (names, birth date, documents, contacts) as one AES-256-GCM ciphertext.
  pii text not null,
  sex text not null,
  age_band text not null default 'unknown',
  age_uncertain boolean not null default false,
  citizenships text[] not null default '{}',
  languages text[] not null default '{}',
  attributes jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Keyed blind indexes (HMAC of normalised tokens): search without plaintext.
create table person_index (
  person_id uuid not null references persons (id) on delete cascade,
  kind text not null,
  key text not null,
  primary key (kind, key, person_id)
);
create index person_index_person_idx on person_index (person_id);

create table case_counters (
  country text not null,
  year integer not null,
  last integer not null,
  primary key (country, year)
);

create table cases (
  id uuid primary key,
  number text not null unique,
  country text not null,
  agency_id uuid not null references agencies (id),
  created_by uuid not null references users (id),
  person_id uuid not null references persons (id),
  stage text not null default 'encounter',
  is_child boolean not null,
  encounter_date date not null,
  encounter_region text not null,
  encounter_place_enc text,
  identification_method text not null,
  exploitation_forms text[] not null default '{}',
  labour_industry text,
  sex_exploitation_types text[] not null default '{}',
  means_of_control text[] not null default '{}',
  recruitment_methods text[] not null default '{}',
  recruitment_apps text[] not null default '{}',
  relationship_to_recruiter text,
  countries_of_origin text[] not null default '{}',
  countries_of_transit text[] not null default '{}',
  countries_of_exploitation text[] not null default '{}',
  cross_border boolean not null,
  exploitation_start date,
  exploitation_end date,
  narrative_enc text,
  latest_outcome text,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index cases_agency_idx on cases (agency_id, created_at desc);
create index cases_creator_idx on cases (created_by, created_at desc);
create index cases_person_idx on cases (person_id);
create index cases_encounter_idx on cases (encounter_date);
create index cases_forms_idx on cases using gin (exploitation_forms);

create table screening_catalogues (
  version text primary key,
  data jsonb not null,
  is_current boolean not null default false,
  published_by uuid references users (id),
  published_at timestamptz not null default now()
);
create unique index screening_catalogues_current_key on screening_catalogues (is_current) where is_current;

create table screenings (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cases (id),
  catalogue_version text not null references screening_catalogues (version),
  profile text not null,
  acts text[] not null default '{}',
  indicator_ids text[] not null default '{}',
  result jsonb not null,
  outcome text not null,
  recommendation text not null,
  judgement text not null,
  reasons_enc text,
  screened_by uuid not null references users (id),
  created_at timestamptz not null default now()
);
create index screenings_case_idx on screenings (case_id, created_at desc);

-- Autosaved intake drafts, encrypted; one per user and kind.
create table drafts (
  user_id uuid not null references users (id) on delete cascade,
  kind text not null,
  data_enc text not null,
  updated_at timestamptz not null default now(),
  primary key (user_id, kind)
);
