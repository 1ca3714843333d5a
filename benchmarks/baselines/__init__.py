"""Bare Textual apps that set the reference for first frame and tab switch."""
