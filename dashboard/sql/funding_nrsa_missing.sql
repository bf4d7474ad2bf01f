-- The fiscal years with no NRSA level on file: one row whose `years` reads e.g. 'FY2019 (predoctoral), FY2021
-- (postdoctoral)' — the fiscal years and career levels of filtered appointments in predoctoral or postdoctoral
-- programs without a level (NIH-funded only unless $all_sources) — or is null when every year has one.
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
)

select string_agg('FY' || fiscal_year || ' (' || levels || ')', ', ' order by fiscal_year) as years,
from per_year
