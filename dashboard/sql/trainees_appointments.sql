-- One trainee's appointments ($trainee_id): one row per appointment, with its amounts (appointment_facts);
-- dates as dates (tables show them, downloads write them as date cells).
select
    fiscal_year,
    funding_source,
    grant_number,
    start_date,
    end_date,
    stipend_usd,
    tuition_fees_usd,
    health_insurance_usd,
    travel_usd,
    total_usd,
    citizenship_at_appointment,
from main.appointment_facts
where trainee_id = $trainee_id
order by start_date, appointment_id
