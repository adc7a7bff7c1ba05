"""policybot: answers employees' policy questions from the company's own documents, with citations."""

__version__ = "0.1.0"
