-- Funding per fiscal year over the filtered appointments: one row per fiscal year with an appointment.
-- trainees = distinct trainees with an appointment in the year (a trainee funded by two sources counts once, so this
-- is not the sum of stipend_funding.trainees over sources); trainee_years = sum of (end_date - start_date + 1) days /
-- 365.25 (appointment_facts); nih = NIH-funded (nlm_t15, nih_training_other); other_trainees = distinct trainees with
-- an appointment not funded by NIH; nih_share = NIH-funded dollars / all dollars (total_usd: stipend + tuition & fees
-- + health insurance + travel), null when the year has no dollars.
select
    fiscal_year,
    count(distinct trainee_id) as trainees,
    count(distinct trainee_id) filter (where is_nih_funded) as nih_trainees,
    count(distinct trainee_id) filter (where not is_nih_funded) as other_trainees,
    sum(trainee_years) as trainee_years,
    coalesce(sum(total_usd) filter (where is_nih_funded), 0) as nih_usd,
    sum(total_usd) as total_usd,
    coalesce(sum(total_usd) filter (where is_nih_funded), 0) / nullif(sum(total_usd), 0) as nih_share,
from filtered_appointments
group by fiscal_year
order by fiscal_year
