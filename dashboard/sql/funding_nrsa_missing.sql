-- The fiscal years with no NRSA level on file: one row whose `years` reads e.g. 'FY2000–FY2015 (predoctoral and
-- postdoctoral), FY2017 (predoctoral)' — the fiscal years and career levels of filtered appointments in predoctoral or
-- postdoctoral programs without a level (NIH-funded only unless $all_sources), consecutive years missing the same
-- levels written as one range — or is null when every year has one.
with missing as (
    select distinct fiscal_year, program_level
    from filtered_appointments
    where program_level in ('predoctoral', 'postdoctoral')
        and nrsa_annual_level_usd is null
        and (is_nih_funded or $all_sources::boolean)
),

per_year as (
    select fiscal_year, string_agg(program_level, ' and ' order by program_level desc) as levels,
    from missing
    group by fiscal_year
),

islands as (
    select
        levels,
        fiscal_year,
        fiscal_year - row_number() over (partition by levels order by fiscal_year) as island,
    from per_year
),

ranges as (
    select levels, min(fiscal_year) as first_year, max(fiscal_year) as last_year,
    from islands
    group by levels, island
)

select string_agg(
    'FY' || first_year || case when last_year > first_year then '–FY' || last_year else '' end || ' (' || levels || ')',
    ', ' order by first_year
) as years,
from ranges
