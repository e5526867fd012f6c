-- Services delivered by type on the statistics dashboard (issue 7).

-- The dashboard selects a year's delivered services by their actual end, with what it counts.
create index assistance_services_delivered_idx on assistance_services (actual_end)
  include (case_id, category, created_at, id) where status = 'delivered';

-- The statistics data version (migration 0014) now also changes when a service is written, so the
-- per-year cache of the dashboard never serves stale service counts.
create trigger assistance_services_statistics after insert or update or delete or truncate on assistance_services
  for each statement execute function statistics_changed();
