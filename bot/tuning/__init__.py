"""`policybot tune`: train the answer scorer on public question/answer data and the company's verified
answers, evaluate it against the current one on the deployment's labelled questions, promote if better."""
