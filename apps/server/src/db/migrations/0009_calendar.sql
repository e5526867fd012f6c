-- The working-day calendar, maintained per year by an administrator (NRM.md section 8). A year
-- without a row in calendar_years uses the defaults of packages/domain/src/deadline/calendar.ts.
create table calendar_years (
  year integer primary key,
  version integer not null default 1,
  updated_by uuid references users (id),
  updated_at timestamptz not null default now()
);
create table calendar_days (
  day date primary key,
  year integer not null references calendar_years (year),
  kind text not null check (kind in ('holiday', 'working_day')),
  label text not null
);
create index calendar_days_year_idx on calendar_days (year);
