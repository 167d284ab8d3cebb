"""Suggestions from a spaCy pipeline, computed by a background worker.

The web process only records a job and puts its id on the queue (queue.py, jobs.py); the
worker (`annotator worker`) takes it, loads the pipeline and stores suggestions (runner.py).
Nothing the web process imports loads spaCy.
"""
