-- staging.appointments: one row per appointment; empty amounts are 0, citizenship defaults to the trainee's.
with source as (select * from raw.appointments),

trainees as (select trainee_id, citizenship from raw.trainees),

final as (
    select
        a.appointment_id,
        a.trainee_id,
        a.fiscal_year,
        a.funding_source,
        a.grant_number,
        a.start_date,
        a.end_date,
        coalesce(a.stipend_usd, 0) as stipend_usd,
        coalesce(a.tuition_fees_usd, 0) as tuition_fees_usd,
        coalesce(a.health_insurance_usd, 0) as health_insurance_usd,
        coalesce(a.travel_usd, 0) as travel_usd,
        coalesce(a.citizenship_at_appointment, t.citizenship) as citizenship_at_appointment,
    from source as a
    left join trainees as t using (trainee_id)
)

select * from final
