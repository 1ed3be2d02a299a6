"""Plugin payment (PLG-10): the application for payment in a plugin and its review."""
