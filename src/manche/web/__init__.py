"""Web pages (Jinja2 templates, our own CSS). Each page has a JSON twin under /api/v1."""
