"""Plugin documentation (PLG-6): the doc/ folder, its rendering, preview, publishing and
history."""
