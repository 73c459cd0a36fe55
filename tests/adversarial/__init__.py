"""Hostile and broken submissions: see test_adversarial.py."""
