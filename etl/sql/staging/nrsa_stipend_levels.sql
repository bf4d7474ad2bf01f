-- staging.nrsa_stipend_levels: one row per fiscal year, career level and years of experience (predoctoral: 0).
with source as (select * from raw.nrsa_stipend_levels),

final as (
    select
        fiscal_year,
        career_level,
        experience_years,
        annual_stipend_usd,
    from source
)

select * from final
