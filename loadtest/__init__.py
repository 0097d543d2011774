"""make loadtest: locust against gunicorn, PostgreSQL and Redis on this machine (loadtest/run).

Outside the product: no app imports it.
"""
