"""The task queue (Celery) between the web tier (`policybot serve`) and the answering workers (`policybot worker`)."""
