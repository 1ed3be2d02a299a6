"""Plugin usage (PLG-9, PLG-11, B-9): applications, the owner's policies, binding and the
per-month limits."""
