-- stipend_vs_nrsa: one row per appointment of a predoctoral or postdoctoral program whose fiscal year has an NRSA
-- level on file: the level, the expected amount (annual level x days / 365.25) and paid - expected.
with appointments as (select * from main.appointment_facts),

final as (
    select
        appointment_id,
        trainee_id,
        program_id,
        fiscal_year,
        funding_source,
        program_level as career_level,
        nrsa_experience_level as experience_level,
        nrsa_annual_level_usd as annual_level_usd,
        trainee_years,
        stipend_usd as paid_usd,
        nrsa_expected_usd as expected_usd,
        stipend_usd - nrsa_expected_usd as difference_usd,
    from appointments
    where nrsa_annual_level_usd is not null
)

select * from final
order by appointment_id
