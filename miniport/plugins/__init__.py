"""Plugins (PLG-1..PLG-11) and plugin functional pages (FP-1..FP-12): a plugin of a mini
program, its documentation, versions, review and release, the mini programs that use it,
its payment, and the functional pages of its owner mini program."""
