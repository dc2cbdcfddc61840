"""The HTTP API (FastAPI): thin routes over the readings and the record; one error shape."""
