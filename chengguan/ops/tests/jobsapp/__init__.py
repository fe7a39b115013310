"""A stand-in app with a jobs.py, as another engineer's app would have, to prove the worker finds it."""
