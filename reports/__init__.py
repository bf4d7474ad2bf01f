"""Leadership reports and NIH training tables, built from the published snapshot."""
