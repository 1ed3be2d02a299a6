"""Miniport: a self-hosted mini program platform."""
