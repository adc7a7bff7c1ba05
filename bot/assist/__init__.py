"""The question workflow (`workflow.Assist`) every surface calls, built by `factory.build_assist`, and
the per-channel policy file it applies (`channels`)."""
