"""The static HTML report: `pages` decides what each page shows, `charts` draws, `site` writes."""
