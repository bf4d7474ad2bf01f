-- stipend_funding: one row per fiscal year, program and funding source present in appointments.
-- trainees = distinct trainees; trainee_years = sum of (end_date - start_date + 1) days / 365.25;
-- total_usd = stipend + tuition & fees + health insurance + travel.
with appointments as (select * from main.appointment_facts),

final as (
    select
        fiscal_year,
        program_id,
        funding_source,
        count(distinct trainee_id) as trainees,
        sum(trainee_years) as trainee_years,
        sum(stipend_usd) as stipend_usd,
        sum(tuition_fees_usd) as tuition_fees_usd,
        sum(health_insurance_usd) as health_insurance_usd,
        sum(travel_usd) as travel_usd,
        sum(total_usd) as total_usd,
    from appointments
    group by fiscal_year, program_id, funding_source
)

select * from final
order by fiscal_year, program_id, funding_source
