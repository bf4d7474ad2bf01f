-- Stipends paid against NRSA levels: one row per fiscal year, over the stipend_vs_nrsa mart's appointments (those
-- whose fiscal year and career level have a level on file) among the filtered appointments; NIH-funded appointments
-- only unless $all_sources. expected_usd = annual NRSA level x trainee-years; paid_share = paid / expected.
with compared as (
    select s.*
    from main.stipend_vs_nrsa as s
    inner join filtered_appointments as a using (appointment_id)
    where a.is_nih_funded or $all_sources::boolean
)

select
    fiscal_year,
    count(distinct trainee_id) as trainees,
    count(*) as appointments,
    sum(paid_usd) as paid_usd,
    sum(expected_usd) as expected_usd,
    sum(difference_usd) as difference_usd,
    sum(paid_usd) / nullif(sum(expected_usd), 0) as paid_share,
from compared
group by fiscal_year
order by fiscal_year
