"""Plugin development (PLG-1..PLG-5, PLG-7, PLG-8): enabling, basic and development
information, versions, review and release."""
