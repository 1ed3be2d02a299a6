"""Plugin versions (PLG-7, PLG-8): uploads, the development assistant, submission for
review on the desk, and release."""
