"""The web pages of policybot: the /admin dashboard (bot/web/admin.py) and its static report."""
